from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "unionhub.members"
    label = "members"
    verbose_name = _("Members")

    def ready(self) -> None:
        from unionhub.members import services
        from unionhub.orgs.signals import unit_dissolving

        unit_dissolving.connect(services.on_unit_dissolving, dispatch_uid="members.dissolving")
