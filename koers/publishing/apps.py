from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "koers.publishing"
    label = "publishing"
