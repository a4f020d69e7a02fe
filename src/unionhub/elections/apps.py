from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from unionhub.core import registry
from unionhub.core.registry import DelegateLink, NavItem
from unionhub.elections.actions import Action


class ElectionsConfig(AppConfig):
    name = "unionhub.elections"
    label = "elections"
    verbose_name = _("Elections")
    audit_actions = Action
    nav_items = [
        NavItem(
            _("Elections and votes"),
            "elections:list",
            role="congress_organiser",
            order=65,
            area=registry.CONGRESS,
        )
    ]
    delegate_links = [DelegateLink(_("Votes and results"), "elections_delegate", order=10)]

    def ready(self) -> None:
        # The slide's form and checks use the models, which are not loaded when this module is.
        from unionhub.elections import slides

        self.slide_sources = [slides.SOURCE]
