from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "koers.audit"
    label = "audit"

    def ready(self):
        from koers.audit import receivers  # noqa: F401  (connects the login signals)
