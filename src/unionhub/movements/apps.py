from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from unionhub.core import registry
from unionhub.core.registry import NavItem
from unionhub.movements.actions import Action


class MovementsConfig(AppConfig):
    name = "unionhub.movements"
    label = "movements"
    verbose_name = _("Movements and campaigns")
    audit_actions = Action
    nav_items = [
        NavItem(_("Movements and campaigns"), "movements:list", order=10, area=registry.MOVEMENTS)
    ]
