from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "koers.alerts"
    label = "alerts"
