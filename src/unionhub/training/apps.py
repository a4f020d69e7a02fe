from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from unionhub.core import registry
from unionhub.core.registry import NavItem
from unionhub.training.actions import Action


def _unit_panel(request, unit):
    from unionhub.training.views import unit_panel

    return unit_panel(request, unit)


class TrainingConfig(AppConfig):
    name = "unionhub.training"
    label = "training"
    verbose_name = _("Training")
    audit_actions = Action
    nav_items = [
        NavItem(_("Training"), "training:list", order=20, area=registry.MOVEMENTS),
        NavItem(_("People trained"), "training:report", order=22, area=registry.MOVEMENTS),
    ]
    unit_panels = [_unit_panel]
