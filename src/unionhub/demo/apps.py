from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "unionhub.demo"
    label = "demo"
