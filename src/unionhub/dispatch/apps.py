from django.apps import AppConfig


class DispatchConfig(AppConfig):
    name = "unionhub.dispatch"
    label = "dispatch"
