from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from unionhub.core import registry
from unionhub.core.registry import NavItem
from unionhub.imports.actions import Action


def _unit_panel(request, unit):
    from unionhub.imports.views import unit_panel

    return unit_panel(request, unit)


class ImportsConfig(AppConfig):
    name = "unionhub.imports"
    label = "imports"
    verbose_name = _("Spreadsheet import")
    audit_actions = Action
    # Reads and exports of personal data: the data-protection officer's access log lists them.
    personal_data_actions = (Action.MEMBERS_EXPORTED,)
    nav_items = [
        NavItem(_("Import"), "imports:index", role="registrar", order=35, area=registry.MEMBERS)
    ]
    unit_panels = [_unit_panel]

    def ready(self) -> None:
        from unionhub.imports import jobs  # noqa: F401 (registers the job handlers)
