from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from unionhub.core import registry
from unionhub.core.registry import NavItem


def _unit_panel(request, unit):
    from unionhub.cards.views import unit_panel

    return unit_panel(request, unit)


def _member_panel(request, member):
    from unionhub.cards.views import member_panel

    return member_panel(request, member)


class CardsConfig(AppConfig):
    name = "unionhub.cards"
    label = "cards"
    verbose_name = _("Membership cards")
    nav_items = [NavItem(_("Cards"), "cards:list", role="registrar", order=30, area=registry.CARDS)]
    unit_panels = [_unit_panel]
    # Drawn on the member page by the members app when it offers member panels.
    member_panels = [_member_panel]

    def ready(self) -> None:
        from unionhub.cards import jobs, selectors, services  # noqa: F401 (registers job handlers)
        from unionhub.cards.numbers import normalise
        from unionhub.members import hooks
        from unionhub.members.signals import membership_changed

        membership_changed.connect(services.on_membership_changed, dispatch_uid="cards.revoke")

        def by_number(query: str):
            digits = normalise(query)
            if len(digits) >= 6 and digits.isdigit():
                return selectors.members_with_number(digits)
            return None

        hooks.register_search(by_number)
        hooks.register_filter("has_valid_card", _("Has a valid card"), selectors.has_valid_card_q)
