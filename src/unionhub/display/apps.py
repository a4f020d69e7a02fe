from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from unionhub.core import registry
from unionhub.core.registry import NavItem
from unionhub.display.actions import Action


def _dashboard_panel(request):
    from unionhub.display.panels import dashboard_panel

    return dashboard_panel(request)


class DisplayConfig(AppConfig):
    name = "unionhub.display"
    label = "display"
    verbose_name = _("Screens")
    audit_actions = Action
    nav_items = [
        NavItem(
            _("Screens"),
            "display:list",
            role="congress_organiser",
            order=65,
            area=registry.COMMUNICATIONS,
        )
    ]
    home_panels = [_dashboard_panel]
