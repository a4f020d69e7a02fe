from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from unionhub.core import registry
from unionhub.core.registry import NavItem
from unionhub.finance.actions import Action


def _member_panel(request, member):
    from unionhub.finance.views import member_panel

    return member_panel(request, member)


class FinanceConfig(AppConfig):
    name = "unionhub.finance"
    label = "finance"
    verbose_name = _("Union finance")
    audit_actions = Action
    nav_items = [
        NavItem(_("Dues"), "finance:index", role="finance", order=10, area=registry.FINANCE),
    ]
    # Drawn on the member page by the members app: the member's dues and support received.
    member_panels = [_member_panel]
