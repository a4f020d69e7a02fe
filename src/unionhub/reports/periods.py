"""Report periods: quarter, half-year (to 30 June), year, or custom dates, all inclusive."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from unionhub.core.errors import DomainError

QUARTER, HALF, YEAR, CUSTOM = "quarter", "half", "year", "custom"


@dataclass(frozen=True)
class Period:
    first: dt.date
    last: dt.date

    @property
    def label(self) -> str:
        return f"{self.first:%d/%m/%Y} – {self.last:%d/%m/%Y}"

    def as_query(self) -> dict[str, str]:
        return {"from": self.first.isoformat(), "to": self.last.isoformat()}


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def period_of(kind: str, year: int, number: int = 1) -> Period:
    """The quarter `number` (1–4), half `number` (1: to 30 June, 2: to 31 December) or year."""
    if kind == YEAR:
        return Period(dt.date(year, 1, 1), dt.date(year, 12, 31))
    months = {QUARTER: 3, HALF: 6}.get(kind)
    if months is None or not 1 <= number <= 12 // months:
        raise DomainError("bad_period", _("Choose a quarter (1–4), a half-year (1–2) or a year."))
    start = (number - 1) * months + 1
    return Period(dt.date(year, start, 1), _last_day(year, start + months - 1))


def custom(first: dt.date, last: dt.date) -> Period:
    if last < first:
        raise DomainError("bad_period", _("The period must end on or after its first day."))
    if (last - first).days > 366 * 20:
        raise DomainError("bad_period", _("A report covers at most twenty years."))
    return Period(first, last)


def parse(params: dict) -> Period:
    """A period from request parameters: `from` and `to` (ISO dates), or `kind`, `year`,
    `number`."""
    try:
        if params.get("from") and params.get("to"):
            return custom(
                dt.date.fromisoformat(params["from"]), dt.date.fromisoformat(params["to"])
            )
        kind = params.get("kind") or YEAR
        return period_of(kind, int(params["year"]), int(params.get("number") or 1))
    except (KeyError, ValueError) as error:
        raise DomainError("bad_period", _("Choose the period of the report.")) from error
