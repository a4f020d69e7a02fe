"""What the member registry adds to other apps' pages (core.registry extension points)."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from unionhub.core import scope
from unionhub.core.registry import UnitPanel
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
