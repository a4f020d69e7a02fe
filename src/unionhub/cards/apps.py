from django.apps import AppConfig


class CardsConfig(AppConfig):
    name = "unionhub.cards"
    label = "cards"
