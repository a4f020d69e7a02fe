"""The one place where a rate times an amount becomes whole đồng.

Amounts are integer VND; rates are Decimal shares with at most RATE_PLACES decimals (the rule
column's precision). A share of an amount is rounded half up to the đồng: 0.5 đồng and more
goes up. The same arithmetic runs in Python (`share`) and in SQL (`share_expression`, for the
set-based dues computation), both in integers only, so they agree exactly: the rate becomes
the integer `rate × 10^RATE_PLACES`, and `(amount × that + 10^RATE_PLACES / 2) div
10^RATE_PLACES` is the half-up rounding of a non-negative amount × rate.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import BigIntegerField, Expression, ExpressionWrapper, Value

RATE_PLACES = 6
_SCALE = 10**RATE_PLACES


def rate_units(rate: Decimal) -> int:
    """The rate as an integer number of millionths; refuses a rate finer than that."""
    scaled = rate * _SCALE
    if scaled != scaled.to_integral_value():
        raise ValueError(f"rate {rate} has more than {RATE_PLACES} decimals")
    return int(scaled)


def share(amount: int, rate: Decimal) -> int:
    """`amount × rate` in whole đồng, rounded half up; `amount` must not be negative."""
    if amount < 0:
        raise ValueError("share of a negative amount")
    return (amount * rate_units(rate) + _SCALE // 2) // _SCALE


def share_expression(amount: Expression, rate: Decimal) -> ExpressionWrapper:
    """`share(amount, rate)` as a database expression over a non-negative integer column:
    integer division on both SQLite and PostgreSQL (both operands are integers)."""
    return ExpressionWrapper(
        (amount * Value(rate_units(rate)) + Value(_SCALE // 2)) / Value(_SCALE),
        output_field=BigIntegerField(),
    )


def vnd(amount: int | None) -> str:
    """1234567 → "1.234.567 ₫", as Vietnamese write money (DESIGN §5)."""
    if amount is None:
        return "—"
    sign = "−" if amount < 0 else ""
    return f"{sign}{abs(amount):,} ₫".replace(",", ".")


def percent(rate: Decimal) -> str:
    """A share as a percentage: 0.005 → "0.5 %"."""
    return f"{rate * 100:.2f}".rstrip("0").rstrip(".") + " %"
