from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "koers.orgs"
    label = "orgs"
