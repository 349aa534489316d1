from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "koers.strategy"
    label = "strategy"
