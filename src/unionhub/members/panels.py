"""What the member registry adds to other apps' pages (core.registry extension points)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from unionhub.core import charts, scope
from unionhub.core.context_processors import current_unit
from unionhub.core.registry import TodoItem, UnitPanel
from unionhub.members import selectors
from unionhub.orgs.models import Level


def unit_panel(request, unit) -> UnitPanel:
    """Members in the unit's subtree and the share of complete profiles ("100 % updated")."""
    figures = selectors.unit_completeness(user=request.user, unit=unit)
    share = number_format(figures.share, decimal_pos=1, use_l10n=True)
    return UnitPanel(
        template="members/_unit_panel.html",
        order=20,
        context={
            "figures": [
                (_("Members"), number_format(figures.members, use_l10n=True, force_grouping=True)),
                (_("Complete profiles"), f"{share} %"),
            ],
            "unit": unit,
            "completeness": figures,
            "subunits": selectors.subunit_completeness(user=request.user, unit=unit),
            "can_admit": unit.level > Level.PROVINCE
            and unit.dissolved is None
            and scope.can(request.user, scope.REGISTRAR, unit),
        },
    )


def incoming_transfers(request) -> int:
    return selectors.transfers_incoming(user=request.user).count()


def home_panel(request) -> UnitPanel | None:
    """The home page's answers for the officer's current unit: members by area (with
    completeness and every registered measure such as card coverage, each a link down the
    tree) and admissions against leavers month by month."""
    unit = current_unit(request)
    if unit is None:
        return None
    today = timezone.localdate()
    months = selectors.monthly_movements(user=request.user, unit=unit, today=today)
    chart = charts.paired_columns(
        [(date_format(m.first, "m/y"), m.admitted, m.left) for m in months],
        title=_("Admissions and leavers per month, %(unit)s") % {"unit": unit.name},
        series=(_("Admitted"), _("Left, retired or deceased")),
    )
    return UnitPanel(
        template="members/_home_panel.html",
        order=10,
        context={
            "unit": unit,
            "areas": selectors.area_table(user=request.user, unit=unit),
            "months": months,
            "chart": chart,
            "admitted": sum(m.admitted for m in months),
            "left": sum(m.left for m in months),
        },
    )


def transfers_todo(request) -> TodoItem:
    return TodoItem(
        _("Transfers waiting for your acceptance"),
        incoming_transfers(request),
        reverse("members:transfers"),
        order=10,
    )
