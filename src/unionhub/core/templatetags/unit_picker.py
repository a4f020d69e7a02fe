"""`{% unit_picker "unit" value label=… %}`: the shared unit picker on a page's own form (a
filter bar, say) that is not a Django form."""

from django import template

from unionhub.core.widgets import UnitPicker

register = template.Library()


@register.simple_tag
def unit_picker(name: str, value: str = "", *, label: str = "", role: str = "") -> str:
    attrs = {"id": f"id_{name}_picker", "placeholder": label, "aria-label": label}
    return UnitPicker(attrs, role=role).render(name, value or "")
