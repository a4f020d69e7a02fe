from django.apps import AppConfig


class DisplayConfig(AppConfig):
    name = "unionhub.display"
    label = "display"
