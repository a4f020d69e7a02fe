from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from unionhub.core import registry
from unionhub.core.registry import NavItem, TodoItem
from unionhub.reports.actions import Action


def _reports_due(request) -> TodoItem:
    from django.urls import reverse

    from unionhub.reports.selectors import reports_due

    return TodoItem(_("Reports due"), reports_due(user=request.user), reverse("reports:rounds"), 40)


class ReportsConfig(AppConfig):
    name = "unionhub.reports"
    label = "reports"
    verbose_name = _("Reports")
    audit_actions = Action
    # Reads and exports of personal data: the data-protection officer's access log lists them.
    personal_data_actions = (Action.SENSITIVE_VIEWED,)
    nav_items = [
        NavItem(_("Reports"), "reports:fluctuation", order=40, area=registry.REPORTS),
        NavItem(_("Statistics"), "reports:statistics", order=41, area=registry.REPORTS),
        NavItem(_("Reporting rounds"), "reports:rounds", order=42, area=registry.REPORTS),
    ]
    todo_items = [_reports_due]

    def ready(self) -> None:
        from unionhub.reports import jobs  # noqa: F401 (registers the export job handler)
