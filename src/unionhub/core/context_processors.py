from django.urls import NoReverseMatch, reverse

from unionhub.core import scope
from unionhub.core.registry import collect


def navigation(request):
    """Navigation entries the user's roles reach, from every app's `nav_items`."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    held = {g.role for g in scope.grants(user)}
    unrestricted = scope.is_unrestricted(user)
    items = []
    for item in sorted(collect("nav_items"), key=lambda i: i.order):
        if not (unrestricted or item.role is None or item.role in held or scope.UNIT_ADMIN in held):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        badge = item.badge(request) if item.badge else 0
        items.append(
            {
                "label": item.label,
                "url": url,
                "badge": badge,
                "active": request.path.startswith(url),
            }
        )
    return {"nav_items": items}
