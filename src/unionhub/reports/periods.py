"""Report periods: month, quarter, half-year (to 30 June), year, or custom dates, all inclusive."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unionhub.core.errors import DomainError

MONTH, QUARTER, HALF, YEAR, CUSTOM = "month", "quarter", "half", "year", "custom"
MONTHS_IN = {MONTH: 1, QUARTER: 3, HALF: 6, YEAR: 12}
ROMAN = ("I", "II", "III", "IV")


@dataclass(frozen=True)
class Period:
    first: dt.date
    last: dt.date

    @property
    def dates(self) -> str:
        return f"{self.first:%d/%m/%Y} – {self.last:%d/%m/%Y}"

    @property
    def label(self) -> str:
        """In words when the dates make a calendar period ("Second half of 2025"), else the
        dates."""
        kind, number = self.kind_and_number
        if kind == CUSTOM:
            return self.dates
        return f"{period_name(kind, number, self.first.year)} ({self.dates})"

    @property
    def kind_and_number(self) -> tuple[str, int]:
        """(kind, number) of the calendar period these dates are, or (CUSTOM, 0)."""
        first, last = self.first, self.last
        if first.day == 1 and first.year == last.year:
            for kind, months in MONTHS_IN.items():
                if (first.month - 1) % months == 0 and last == _last_day(
                    first.year, first.month + months - 1
                ):
                    return kind, (first.month - 1) // months + 1
        return CUSTOM, 0

    def as_query(self) -> dict[str, str]:
        return {"from": self.first.isoformat(), "to": self.last.isoformat()}


def period_name(kind: str, number: int, year: int | None = None) -> str:
    """The period in words: "First half", "Quarter II", "March"; with the year when given."""
    if kind == YEAR:
        name = _("Whole year")
        return _("Year %(year)d") % {"year": year} if year else name
    if kind == HALF:
        names = (_("First half (January – June)"), _("Second half (July – December)"))
        if year:
            names = (
                _("First half of %(year)d") % {"year": year},
                _("Second half of %(year)d") % {"year": year},
            )
        return names[number - 1]
    if kind == QUARTER:
        if year:
            return _("Quarter %(number)s of %(year)d") % {"number": ROMAN[number - 1], "year": year}
        return _("Quarter %(number)s") % {"number": ROMAN[number - 1]}
    name = str(MONTHS[number])
    return f"{name} {year}" if year else name


def choices() -> list:
    """The period select's options: the year, its halves, quarters and months, then custom
    dates; each value is "kind-number"."""
    return [
        (f"{YEAR}-1", period_name(YEAR, 1)),
        (
            gettext_lazy("Half-years"),
            [(f"{HALF}-{n}", period_name(HALF, n)) for n in (1, 2)],
        ),
        (
            gettext_lazy("Quarters"),
            [(f"{QUARTER}-{n}", period_name(QUARTER, n)) for n in range(1, 5)],
        ),
        (
            gettext_lazy("Months"),
            [(f"{MONTH}-{n}", period_name(MONTH, n)) for n in range(1, 13)],
        ),
        (CUSTOM, gettext_lazy("Other dates (below)")),
    ]


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def period_of(kind: str, year: int, number: int = 1) -> Period:
    """Month `number` (1–12), quarter `number` (1–4), half `number` (1: to 30 June, 2: to
    31 December), or the year."""
    months = MONTHS_IN.get(kind)
    if months is None or not 1 <= number <= 12 // months:
        raise DomainError(
            "bad_period", _("Choose a month, a quarter, a half-year or the whole year.")
        )
    start = (number - 1) * months + 1
    return Period(dt.date(year, start, 1), _last_day(year, start + months - 1))


def custom(first: dt.date, last: dt.date) -> Period:
    if last < first:
        raise DomainError("bad_period", _("The period must end on or after its first day."))
    if (last - first).days > 366 * 20:
        raise DomainError("bad_period", _("A report covers at most twenty years."))
    return Period(first, last)


def split(value: str) -> tuple[str, int]:
    """ "half-2" → ("half", 2); "custom" → ("custom", 0)."""
    kind, _sep, number = value.partition("-")
    return kind, int(number or 0)


def parse(params: dict) -> Period:
    """A period from request parameters: `from` and `to` (ISO dates); or `period`
    ("half-2") and `year`; or, as older links have them, `kind`, `year` and `number`."""
    try:
        if params.get("from") and params.get("to"):
            return custom(
                dt.date.fromisoformat(params["from"]), dt.date.fromisoformat(params["to"])
            )
        if params.get("period"):
            kind, number = split(params["period"])
        else:
            kind, number = params.get("kind") or YEAR, int(params.get("number") or 1)
        return period_of(kind, int(params["year"]), number or 1)
    except (KeyError, ValueError) as error:
        raise DomainError("bad_period", _("Choose the period of the report.")) from error
