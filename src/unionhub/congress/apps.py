from django.apps import AppConfig


class CongressConfig(AppConfig):
    name = "unionhub.congress"
    label = "congress"
