from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from unionhub.cards.actions import Action
from unionhub.core import registry
from unionhub.core.registry import CardSource, MemberFilter, NavItem


def _unit_panel(request, unit):
    from unionhub.cards.views import unit_panel

    return unit_panel(request, unit)


def _member_panel(request, member):
    from unionhub.cards.views import member_panel

    return member_panel(request, member)


def _by_number(query: str):
    """A card number typed into member search (six digits or more)."""
    from unionhub.cards import selectors
    from unionhub.cards.numbers import normalise

    digits = normalise(query)
    if len(digits) >= 6 and digits.isdigit():
        return selectors.members_with_number(digits)
    return None


def _has_valid_card():
    from unionhub.cards import selectors

    return selectors.has_valid_card_q()


class CardsConfig(AppConfig):
    name = "unionhub.cards"
    label = "cards"
    verbose_name = _("Membership cards")
    audit_actions = Action
    nav_items = [NavItem(_("Cards"), "cards:list", role="registrar", order=30, area=registry.CARDS)]
    unit_panels = [_unit_panel]
    # Drawn on the member page by the members app when it offers member panels.
    member_panels = [_member_panel]
    member_search = [_by_number]
    member_filters = [MemberFilter("has_valid_card", _("Has a valid card"), _has_valid_card)]

    def ready(self) -> None:
        from unionhub.cards import jobs, selectors, services  # noqa: F401 (registers job handlers)
        from unionhub.cards.models import VALID_STATES
        from unionhub.members.signals import membership_changed

        # Set here because the states live in models, which cannot load before the registry.
        self.card_sources = [CardSource("cards.Card", valid_states=VALID_STATES)]

        membership_changed.connect(services.on_membership_changed, dispatch_uid="cards.revoke")
