from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "koers.support"
    label = "support"
