"""The officer's dashboard on the home page: the screen's widgets for their own scope."""

from __future__ import annotations

from django.utils import timezone

from unionhub.core.registry import UnitPanel
from unionhub.display import selectors, services


def dashboard_panel(request) -> UnitPanel | None:
    if not request.user.is_authenticated:
        return None
    board = selectors.dashboard(
        user=request.user, now=timezone.now(), membership=services.membership_figures_kept
    )
    if not board:
        return None
    return UnitPanel(template="display/_dashboard.html", context={"board": board}, order=20)
