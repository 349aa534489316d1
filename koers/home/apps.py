from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "koers.home"
    label = "home"
