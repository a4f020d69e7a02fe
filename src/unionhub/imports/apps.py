from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "unionhub.imports"
    label = "imports"
