from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "koers.content"
    label = "content"
