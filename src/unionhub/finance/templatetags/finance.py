from django import template

from unionhub.finance import money

register = template.Library()


@register.filter
def vnd(amount):
    """Money as Vietnamese write it: 1.234.567 ₫."""
    return money.vnd(amount)


@register.filter
def percent(rate):
    """A share as a percentage: 0.005 → 0.5 %."""
    return money.percent(rate)
