from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "unionhub.reports"
    label = "reports"
