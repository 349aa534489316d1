from django.apps import AppConfig


class ListeningConfig(AppConfig):
    name = "koers.listening"
    label = "listening"
