from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from unionhub.core import registry
from unionhub.core.registry import NavItem


class FinanceConfig(AppConfig):
    name = "unionhub.finance"
    label = "finance"
    verbose_name = _("Union finance")
    nav_items = [
        NavItem(_("Dues"), "finance:index", role="finance", order=10, area=registry.FINANCE),
    ]
