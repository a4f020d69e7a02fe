from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

register = template.Library()


@register.filter
def signed(value: int) -> str:
    """+1.234 or −56 (a true minus sign, readable from across a hall); 0 stays 0."""
    if value > 0:
        return f"+{intcomma(value)}"
    if value < 0:
        return f"−{intcomma(-value)}"
    return "0"


@register.filter
def css_pct(value: float) -> str:
    """A percentage for a style attribute: never localised (a decimal comma breaks CSS)."""
    return f"{max(0.0, min(100.0, float(value))):.1f}%"
