from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from unionhub.core import registry
from unionhub.core.registry import NavItem, TodoItem, UnitPanel
from unionhub.dispatch.actions import Action


def _unread_badge(request) -> int:
    from unionhub.dispatch.selectors import unread_count

    return unread_count(user=request.user)


def _unread_todo(request) -> TodoItem:
    from django.urls import reverse

    return TodoItem(_("Documents unread"), _unread_badge(request), reverse("dispatch:index"), 30)


def _unit_panel(request, unit) -> UnitPanel:
    return UnitPanel("dispatch/_unit_panel.html", {"unit": unit}, order=60)


class DispatchConfig(AppConfig):
    name = "unionhub.dispatch"
    label = "dispatch"
    verbose_name = _("Official documents")
    audit_actions = Action
    nav_items = [
        NavItem(
            _("Documents"), "dispatch:index", order=40, badge=_unread_badge, area=registry.DOCUMENTS
        )
    ]
    unit_panels = [_unit_panel]
    todo_items = [_unread_todo]

    def ready(self) -> None:
        from unionhub.dispatch import exports  # noqa: F401 (registers the export job)
