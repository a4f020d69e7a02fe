from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from unionhub.core import registry
from unionhub.core.registry import NavItem
from unionhub.members.actions import Action


def _unit_panel(request, unit):
    from unionhub.members.panels import unit_panel

    return unit_panel(request, unit)


def _transfer_badge(request):
    from unionhub.members.panels import incoming_transfers

    return incoming_transfers(request)


def _home_panel(request):
    from unionhub.members.panels import home_panel

    return home_panel(request)


def _transfers_todo(request):
    from unionhub.members.panels import transfers_todo

    return transfers_todo(request)


class MembersConfig(AppConfig):
    name = "unionhub.members"
    label = "members"
    verbose_name = _("Members")
    audit_actions = Action
    # Reads and exports of personal data: the data-protection officer's access log lists them.
    personal_data_actions = (
        Action.MEMBER_SENSITIVE_VIEWED,
        Action.MEMBER_DOCUMENT_LOOKED_UP,
        Action.LIST_EXPORTED,
    )
    nav_items = [
        NavItem(_("Members"), "members:list", order=20, area=registry.MEMBERS),
        NavItem(
            _("Transfers"),
            "members:transfers",
            role="registrar",
            order=25,
            badge=_transfer_badge,
            area=registry.MEMBERS,
        ),
    ]
    unit_panels = [_unit_panel]
    home_panels = [_home_panel]
    todo_items = [_transfers_todo]

    def ready(self) -> None:
        from unionhub.members import exports, services  # noqa: F401 - registers the export job
        from unionhub.orgs.signals import unit_dissolving

        unit_dissolving.connect(services.on_unit_dissolving, dispatch_uid="members.dissolving")
