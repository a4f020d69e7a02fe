"""One column of a member spreadsheet read: each distinct value of the column parsed, checked
for length and cleaned by the registry's rules once per file, and kept as a `Cell` that every
row holding that value shares."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, NamedTuple

from django.utils.translation import gettext as _

from unionhub.core.errors import DomainError
from unionhub.imports import parsers
from unionhub.imports.columns import UNIT_CODE, contributed
from unionhub.imports.plan import ERROR_SEV, WARNING_SEV
from unionhub.members.models import Member
from unionhub.members.services import PROFILE_FIELDS, clean_profile

# Distinct values remembered per column; a column of unique values (names, numbers) starts
# over when it is full, so the memory stays bounded whatever the file.
CACHE_LIMIT = 10_000
# Field → the most characters the registry stores; longer values are refused with the limit
# (SQLite would keep them, PostgreSQL would fail the whole file).
MAX_LENGTHS: dict[str, int] = {
    name: length
    for name in PROFILE_FIELDS
    if (length := getattr(Member._meta.get_field(name), "max_length", None))
}
_PARSERS: dict[str, Callable[[Any], parsers.Parsed]] = {
    "birth_date": lambda raw: parsers.parse_date(raw, allow_year=True),
    "joined": parsers.parse_date,
    "gender": parsers.parse_gender,
    "id_kind": parsers.parse_id_kind,
    "phone": parsers.parse_phone,
    "email": parsers.parse_email,
}
FIELD_ORDER = {name: order for order, name in enumerate(MAX_LENGTHS)}


class Cell(NamedTuple):
    """One distinct value of one column, read: the parsed value, its parse warnings or error,
    the length refusal, and the registry's cleaned value (clean_profile of that field)."""

    value: Any
    problems: tuple[tuple[str, str], ...]  # (severity, message) in the order they arise
    failed: bool
    too_long: str | None
    filled: bool  # not empty: empty cells never erase a value (see _plan_update)
    cleaned: Any
    clean_error: DomainError | None
    quiet: bool  # nothing to report: the row may take its value as it is
    item: tuple[str, Any] | None  # (field, value) for the row's profile, None for none


# What a column's value is for: DONE is a column an upper app records (core.registry).
PROFILE, KIND, JOINED, UNIT, DONE = "profile", "kind", "joined", "unit", "done"


class Column:
    """A mapped column (all but the document number, read per row after the kind): each
    distinct value converted once, cached by value and type (True, 1 and 1.0 are equal keys
    but not equal cells)."""

    def __init__(self, index: int, key: str, *, today: dt.date | None = None) -> None:
        self.index, self.key = index, key
        self.role = {"id_kind": KIND, "joined": JOINED, UNIT_CODE: UNIT}.get(key, PROFILE)
        self.parse = _PARSERS.get(key, parsers.text)
        if key in contributed():
            self.role = DONE
            self.parse = lambda raw: parsers.parse_done(raw, today=today)
        self.limit = MAX_LENGTHS.get(key)
        self.texts: dict[str, Cell] = {}
        self.others: dict[tuple[type, Any], Cell] = {}

    def read(self, rows: list[tuple[int, list[Any]]]) -> list[Cell]:
        """This column's cell of each row, converted."""
        index, texts, others, convert = self.index, self.texts, self.others, self._cached
        out = []
        for _number, cells in rows:
            raw = cells[index] if index < len(cells) else None
            if raw.__class__ is str:
                out.append(texts.get(raw) or convert(texts, raw, raw))
            else:
                key = (raw.__class__, raw)
                out.append(others.get(key) or convert(others, key, raw))
        return out

    def _cached(self, cache: dict, key: Any, raw: Any) -> Cell:
        if len(cache) >= CACHE_LIMIT:
            cache.clear()
        cell = cache[key] = self._convert(raw)
        return cell

    def _convert(self, raw: Any) -> Cell:
        try:
            parsed = self.parse(raw)
        except parsers.ValueProblem as problem:
            problems: tuple[tuple[str, str], ...] = ((ERROR_SEV, problem.message),)
            return Cell(None, problems, True, None, False, None, None, False, None)
        value = parsed.value
        problems = tuple((WARNING_SEV, warning) for warning in parsed.warnings)
        too_long = None
        if self.limit is not None and len(str(value or "")) > self.limit:
            too_long = length_refusal(value, self.limit)
        filled = value not in ("", None)
        cleaned, clean_error = value, None
        if self.role is PROFILE and too_long is None and filled:
            try:
                # The registry's own cleaning (NFC, canonical forms), one field at a time: it
                # treats every field but the document on its own.
                cleaned = clean_profile({self.key: value})[self.key]
            except DomainError as error:
                clean_error = error
        quiet = not problems and too_long is None and clean_error is None
        # The kind's place among the fields is kept; its cleaned value comes per row.
        item = (self.key, cleaned) if filled and self.role in (PROFILE, KIND) else None
        return Cell(value, problems, False, too_long, filled, cleaned, clean_error, quiet, item)


def length_refusal(value: Any, limit: int) -> str:
    return _("This is %(length)s characters long; at most %(limit)s fit.") % {
        "length": len(str(value)),
        "limit": limit,
    }
