from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from unionhub.core import scope
from unionhub.core.registry import AREAS, collect

SESSION_UNIT = "current_unit"


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The sidebar (every app's `nav_items` the user's roles reach, grouped by area), the trail
    to the current section, and the officer's current unit with the other units they hold roles at.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_areas": [], "nav_trail": None, "current_unit": None, "my_units": []}
    held = {g.role for g in scope.grants(user)}
    unrestricted = scope.is_unrestricted(user)
    by_area: dict[str, list[dict[str, Any]]] = {}
    trail = None
    for item in sorted(collect("nav_items"), key=lambda i: i.order):
        if not (unrestricted or item.role is None or item.role in held or scope.UNIT_ADMIN in held):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        entry = {
            "label": item.label,
            "url": url,
            "badge": item.badge(request) if item.badge else 0,
            "active": request.path.startswith(url),
        }
        by_area.setdefault(item.area, []).append(entry)
        # The longest matching URL is the section the page belongs to.
        if entry["active"] and (trail is None or len(url) > len(trail["item"]["url"])):
            trail = {"area": item.area, "item": entry, "here": request.path == url}
    areas = [
        {"key": area.key, "label": area.label, "items": by_area[area.key]}
        for area in AREAS
        if area.key in by_area
    ]
    if trail is not None:
        trail["area"] = next(a["label"] for a in areas if a["key"] == trail["area"])
    units = held_units(request)
    return {
        "nav_areas": areas,
        "nav_trail": trail,
        "current_unit": current_unit(request),
        "my_units": units,
    }


def held_units(request: HttpRequest) -> list[Any]:
    """The units the officer holds roles at, read once per request."""
    units: list[Any] | None = getattr(request, "_unionhub_held_units", None)
    if units is None:
        units = list(scope.held_units(request.user))
        setattr(request, "_unionhub_held_units", units)  # noqa: B010 - the request has no such field
    return units


def current_unit(request: HttpRequest) -> Any:
    """The unit the officer works in now: the one last opened among those they hold a role at
    (kept in the session), else the first of them. The header and the home page share it."""
    units = held_units(request)
    # Requests built outside the middleware (tests, RequestFactory) have no session.
    chosen = getattr(request, "session", {}).get(SESSION_UNIT)
    current = next((u for u in units if u.pk == chosen), None)
    return current or (units[0] if units else None)
