from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from unionhub.core.registry import NavItem


class ReportsConfig(AppConfig):
    name = "unionhub.reports"
    label = "reports"
    verbose_name = _("Reports")
    nav_items = [
        NavItem(_("Reports"), "reports:fluctuation", order=40),
        NavItem(_("Statistics"), "reports:statistics", order=41),
        NavItem(_("Reporting rounds"), "reports:rounds", order=42),
    ]

    def ready(self) -> None:
        from unionhub.reports import jobs  # noqa: F401 (registers the export job handler)
