from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from unionhub.cards.actions import Action
from unionhub.core import registry
from unionhub.core.registry import AreaMeasure, CardSource, MemberFilter, NavItem, TodoItem


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


def _to_approve(request):
    from unionhub.cards import selectors
    from unionhub.cards.models import CardState

    count = selectors.cards_to_approve(user=request.user).count()
    url = f"{reverse('cards:list')}?state={CardState.REQUESTED}"
    return TodoItem(_("Cards to approve"), count, url, order=20)


def _card_coverage(user, unit):
    from unionhub.cards import selectors

    counts = selectors.valid_cards_by_branch(user=user, unit=unit)
    return AreaMeasure("cards", _("With a card"), counts, order=30)


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
    todo_items = [_to_approve]
    area_measures = [_card_coverage]

    def ready(self) -> None:
        from unionhub.cards import jobs, selectors, services  # noqa: F401 (registers job handlers)
        from unionhub.cards.models import VALID_STATES
        from unionhub.members.signals import membership_changed

        # Set here because the states live in models, which cannot load before the registry.
        self.card_sources = [CardSource("cards.Card", valid_states=VALID_STATES)]

        membership_changed.connect(services.on_membership_changed, dispatch_uid="cards.revoke")
