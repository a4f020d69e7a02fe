from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "unionhub.members"
    label = "members"
