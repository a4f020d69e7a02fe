"""Path converters for the calendar in URLs: a year or a month a page can be about.

Registered once, when this module is first imported: a urls module that uses them imports it
(`from unionhub.core import converters`) and writes `<year:year>/<month:month>/` instead of
`<int:…>`, whatever order the apps' URLs are read in. A year or month
outside these bounds matches no URL, so the visitor gets a 404 rather than the server error of
a date Python cannot build (year 0, year 10000, month 13, or the month after December 9999).
"""

from __future__ import annotations

from django.urls import register_converter

# The years a page may be about. 1900 is the earliest year the registry takes in (imports'
# MIN_YEAR: dates of birth); 2999 leaves centuries of headroom. Both ends stay far enough from
# Python's date range (1–9999) that a page's neighbouring month or year (the previous and next
# links, an estimate's year before) is still a date.
FIRST_YEAR = 1900
LAST_YEAR = 2999


class YearConverter:
    """A four-digit year from FIRST_YEAR to LAST_YEAR."""

    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        year = int(value)
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError(f"year {year} out of range")  # Django: this URL does not match
        return year

    def to_url(self, value: int) -> str:
        # Not checked against the bounds: a "next year" link on the last year's page is still
        # written, and answers 404, rather than failing the whole page to render.
        return f"{int(value):04d}"


class MonthConverter:
    """A month of the year, 1 to 12 (with or without a leading zero)."""

    regex = "[0-9]{1,2}"

    def to_python(self, value: str) -> int:
        month = int(value)
        if not 1 <= month <= 12:
            raise ValueError(f"month {month} out of range")
        return month

    def to_url(self, value: int) -> str:
        return str(int(value))


register_converter(YearConverter, "year")
register_converter(MonthConverter, "month")
