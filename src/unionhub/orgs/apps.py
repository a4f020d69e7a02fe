from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from unionhub.core import registry
from unionhub.core.registry import NavItem
from unionhub.orgs.actions import Action


class OrgsConfig(AppConfig):
    name = "unionhub.orgs"
    label = "orgs"
    verbose_name = _("Units and officers")
    audit_actions = Action
    nav_items = [
        NavItem(_("Units"), "orgs:tree", order=10, area=registry.MEMBERS),
        NavItem(
            _("Officers"),
            "orgs:officers",
            role="unit_admin",
            order=90,
            area=registry.ADMINISTRATION,
        ),
    ]
