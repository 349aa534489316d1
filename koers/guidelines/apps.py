from django.apps import AppConfig


class GuidelinesConfig(AppConfig):
    name = "koers.guidelines"
    label = "guidelines"
