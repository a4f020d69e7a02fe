from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from unionhub.core import registry
from unionhub.core.registry import NavItem
from unionhub.movements.actions import Action


def _member_panel(request, member):
    from unionhub.movements.views import member_panel

    return member_panel(request, member)


def _unit_panel(request, unit):
    from unionhub.movements.views import unit_panel

    return unit_panel(request, unit)


def _classification_panel(request, unit):
    from unionhub.movements.views import unit_classification_panel

    return unit_classification_panel(request, unit)


class MovementsConfig(AppConfig):
    name = "unionhub.movements"
    label = "movements"
    verbose_name = _("Movements and campaigns")
    audit_actions = Action
    nav_items = [
        NavItem(_("Movements and campaigns"), "movements:list", order=10, area=registry.MOVEMENTS),
        NavItem(_("Awards"), "movements:awards", order=12, area=registry.MOVEMENTS),
        NavItem(_("Care for members"), "movements:support_list", order=14, area=registry.MOVEMENTS),
        NavItem(_("Shelter houses"), "movements:shelter_list", order=15, area=registry.MOVEMENTS),
        NavItem(
            _("Year-end classification"),
            "movements:classifications",
            order=17,
            area=registry.MOVEMENTS,
        ),
        NavItem(
            _("Movement statistics"), "movements:statistics", order=16, area=registry.MOVEMENTS
        ),
    ]
    member_panels = [_member_panel]

    @property
    def slide_sources(self):
        from unionhub.movements.slides import SOURCES

        return SOURCES

    unit_panels = [_unit_panel, _classification_panel]
