"""Value parsers: what officers type in Excel becomes the values the member registry stores.

Each parser takes a raw cell (whatever the reader gave: str, float, int, bool, date, datetime or
None) and returns a `Parsed` (the value and any warnings), or raises `ValueProblem` with a message
that says how to fix the cell. They are pure functions, tested with hypothesis.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from unionhub.core.spreadsheets import is_blank
from unionhub.core.text import fold, nfc
from unionhub.members.identity import ascii_digits, is_ascii_digits, zeros_restored
from unionhub.members.models import Gender, IdKind

# Excel's day 0 in the 1900 date system (serial 60 is the phantom 29/02/1900, so counting from
# 30/12/1899 is right for every serial after it, i.e. every plausible date of birth or joining).
EXCEL_EPOCH = dt.date(1899, 12, 30)
# The years a date in a member's file may have (birth, joining, a consent): a year outside is a
# typing slip ("05/03/0985" for 1985), never a real date, whatever form it was written in. A
# join date before the union's founding (28/07/1929) is refused later, by check_joined.
MIN_YEAR = 1900
MAX_YEAR = 2100
_SERIAL_MIN = (dt.date(MIN_YEAR, 1, 1) - EXCEL_EPOCH).days
_SERIAL_MAX = (dt.date(MAX_YEAR, 12, 31) - EXCEL_EPOCH).days


class ValueProblem(ValueError):
    """The cell cannot be read; `message` tells the officer what to write instead."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Parsed(NamedTuple):
    # A tuple, not a dataclass: 70,000 rows × 20 cells are parsed per import.
    value: Any
    warnings: tuple[str, ...] = ()


# Cell values repeat (ethnicity, religion, education, places…): normalise each once.
_nfc = lru_cache(maxsize=1 << 16)(nfc)


def _number_text(raw: float | int) -> str:
    """A number as Excel shows it when it is whole (42185004321.0 → '42185004321')."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


def text(raw: Any) -> Parsed:
    """Free text: NFC, trimmed, inner white space collapsed; whole numbers without '.0'."""
    if type(raw) is str:
        return Parsed(_nfc(raw))
    if raw is None:
        return Parsed("")
    if isinstance(raw, bool):
        return Parsed(_("Yes") if raw else _("No"))
    if isinstance(raw, float | int):
        return Parsed(_number_text(raw))
    if isinstance(raw, dt.datetime | dt.date):
        return Parsed(raw.strftime("%d/%m/%Y"))
    return Parsed(nfc(str(raw)))


# Dates ----------------------------------------------------------------------------------------

_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})$")
_YMD = re.compile(r"^(\d{4})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")
# A month and a year, as lists keep a date of birth known to the month: "03/1985", "3-1985",
# "tháng 3/1985", "tháng 3 năm 1985" (matched on the folded text); and "năm 1985".
_MONTH_YEAR = re.compile(r"^(?:thang\s*)?(\d{1,2})\s*(?:[/.\-]|nam)\s*(\d{4})$")
_YEAR_WORD = re.compile(r"^nam\s*(\d{4})$")
# A time part after the date, as CSV exports of date cells carry it ("1990-05-17 00:00:00").
_TIME_TAIL = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")


def _bad_date(raw: Any) -> ValueProblem:
    return ValueProblem(
        _("“%(value)s” is not a date. Write it as dd/mm/yyyy, for example 17/05/1990.")
        % {"value": text(raw).value}
    )


def _out_of_years(raw: Any, year: int) -> ValueProblem:
    return ValueProblem(
        _("“%(value)s” has the year %(year)s; a date here must fall between %(min)s and %(max)s.")
        % {"value": text(raw).value, "year": year, "min": MIN_YEAR, "max": MAX_YEAR}
    )


def _check_year(year: int, raw: Any) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _out_of_years(raw, year)


def _in_years(day: dt.date, raw: Any) -> Parsed:
    _check_year(day.year, raw)
    return Parsed(day)


def _century(two_digits: int, today: dt.date) -> int:
    """d/m/yy: a two-digit year is the most recent year ending so, not after this year."""
    year = 2000 + two_digits
    return year if year <= today.year else year - 100


def _year_only(year: int, allow_year: bool, raw: Any) -> Parsed:
    if not allow_year:
        raise ValueProblem(
            _("Only the year (%(year)s) is given; this column needs the full date dd/mm/yyyy.")
            % {"year": year}
        )
    _check_year(year, raw)
    return Parsed(
        dt.date(year, 1, 1),
        (_("Only the year is known: the date is taken as 01/01/%(year)s.") % {"year": year},),
    )


def _month_only(month: int, year: int, allow_year: bool, raw: Any) -> Parsed:
    if not allow_year:
        raise ValueProblem(
            _("Only the month (%(month)02d/%(year)s) is given; this column needs the full date "
              "dd/mm/yyyy.")
            % {"month": month, "year": year}
        )  # fmt: skip
    if not 1 <= month <= 12:
        raise _bad_date(raw)
    _check_year(year, raw)
    return Parsed(
        dt.date(year, month, 1),
        (
            _("Only the month is known: the date is taken as 01/%(month)02d/%(year)s.")
            % {"month": month, "year": year},
        ),
    )


def parse_date(raw: Any, *, allow_year: bool = False, today: dt.date | None = None) -> Parsed:
    """Excel dates (cells or serial numbers), dd/mm/yyyy, d/m/yy, yyyy-mm-dd and, where
    `allow_year`, a month and year ("03/1985", "tháng 3/1985") or a bare year ("1985", "năm
    1985"), taken as their first day with a warning; each with a year from MIN_YEAR to
    MAX_YEAR. Blank gives None."""
    if is_blank(raw):
        return Parsed(None)
    today = today or dt.date.today()
    if isinstance(raw, dt.datetime):
        return _in_years(raw.date(), raw)
    if isinstance(raw, dt.date):
        return _in_years(raw, raw)
    if isinstance(raw, bool):
        raise _bad_date(raw)
    if isinstance(raw, int | float):
        if float(raw).is_integer() and MIN_YEAR <= raw <= MAX_YEAR:
            # 1985 as a number is far likelier a year than the serial of 07/06/1905.
            return _year_only(int(raw), allow_year, raw)
        if _SERIAL_MIN <= raw <= _SERIAL_MAX:
            return Parsed(EXCEL_EPOCH + dt.timedelta(days=int(raw)))
        raise _bad_date(raw)
    value = _TIME_TAIL.sub("", nfc(str(raw)))
    found: dt.date | None = None
    try:
        if match := _DMY.match(value):
            day, month, year = (int(part) for part in match.groups())
            if len(match.group(3)) == 2:
                year = _century(year, today)
            found = dt.date(year, month, day)
        elif match := _YMD.match(value):
            year, month, day = (int(part) for part in match.groups())
            found = dt.date(year, month, day)
    except ValueError:  # 31/02/1990 and friends; the year 0 of "1/1/0000"
        raise _bad_date(raw) from None
    if found is not None:
        return _in_years(found, raw)
    if match := _YEAR.match(value):
        return _year_only(int(match.group(1)), allow_year, raw)
    words = fold(value)
    if match := _MONTH_YEAR.match(words):
        return _month_only(int(match.group(1)), int(match.group(2)), allow_year, raw)
    if match := _YEAR_WORD.match(words):
        return _year_only(int(match.group(1)), allow_year, raw)
    raise _bad_date(raw)


# Given or done on a day -------------------------------------------------------------------------

_YES = frozenset({"x", "co", "yes", "y", "dong y", "da ky", "ok", "v", "1", "true"})
_NO = frozenset({"khong", "no", "n", "chua", "khong dong y", "0", "false", "-"})


def parse_done(raw: Any, *, today: dt.date | None = None) -> Parsed:
    """Something given or done on a day (a consent signed on the union's form): a date typed
    any way parse_date reads, or a yes ("Có", "x", "Đồng ý") meaning the day of the import, or
    a no ("Không", "Chưa") or a blank cell meaning nothing to record (None). Never later than
    today."""
    today = today or dt.date.today()
    if is_blank(raw):
        return Parsed(None)
    if isinstance(raw, bool) or (isinstance(raw, int | float) and raw in (0, 1)):
        return Parsed(today if raw else None)
    if isinstance(raw, str):
        word = fold(raw).strip(" .!")
        if word in _YES or raw.strip() in ("✓", "✔", "☑"):
            return Parsed(today)
        if word in _NO:
            return Parsed(None)
    try:
        day = parse_date(raw, today=today).value
    except ValueProblem:
        raise ValueProblem(
            _(
                "“%(value)s” is neither a date nor a yes or a no. Write the date it was given "
                "(dd/mm/yyyy), “Có” for today, or “Không”."
            )
            % {"value": text(raw).value}
        ) from None
    if day > today:
        raise ValueProblem(_("%(date)s is later than today.") % {"date": day.strftime("%d/%m/%Y")})
    return Parsed(day)


# Gender ---------------------------------------------------------------------------------------

_GENDERS = {
    "nam": Gender.MALE,
    "male": Gender.MALE,
    "m": Gender.MALE,
    "trai": Gender.MALE,
    "nu": Gender.FEMALE,
    "female": Gender.FEMALE,
    "f": Gender.FEMALE,
    "gai": Gender.FEMALE,
}


def parse_gender(raw: Any) -> Parsed:
    """Nam, Nữ, Male, Female, M, F (any case, with or without diacritics). Blank gives ''."""
    if is_blank(raw):
        return Parsed("")
    found = _GENDERS.get(fold(text(raw).value).replace(".", "").strip())
    if found is None:
        raise ValueProblem(
            _("“%(value)s” is not a gender. Write Nam or Nữ.") % {"value": text(raw).value}
        )
    return Parsed(str(found))


# Identity documents ------------------------------------------------------------------------

_ID_KINDS = {
    "cccd": IdKind.CCCD,
    "can cuoc": IdKind.CCCD,
    "can cuoc cong dan": IdKind.CCCD,
    "the can cuoc": IdKind.CCCD,
    "cmnd": IdKind.CMND,
    "chung minh nhan dan": IdKind.CMND,
    "chung minh thu": IdKind.CMND,
    "ho chieu": IdKind.PASSPORT,
    "passport": IdKind.PASSPORT,
}
_SEPARATORS = re.compile(r"[\s.\-]")


def parse_id_kind(raw: Any) -> Parsed:
    """CCCD, CMND, Hộ chiếu / Passport. Blank gives '' (the number decides, see parse_id)."""
    if is_blank(raw):
        return Parsed("")
    key = re.sub(r"[^a-z ]", "", fold(text(raw).value)).strip()
    found = _ID_KINDS.get(key)
    if found is None:
        raise ValueProblem(
            _("“%(value)s” is not a kind of identity document. Write CCCD, CMND or Hộ chiếu.")
            % {"value": text(raw).value}
        )
    return Parsed(str(found))


def guess_id_kind(number: str) -> str:
    """The kind a number without a stated kind most likely is: 9 digits are a legacy ID,
    letters mean a passport, anything else is read as a citizen ID."""
    if is_ascii_digits(number) and len(number) == 9:
        return str(IdKind.CMND)
    if number and not is_ascii_digits(number):
        return str(IdKind.PASSPORT)
    return str(IdKind.CCCD)


def parse_id_number(raw: Any, *, kind: str = "") -> Parsed:
    """The document number as text. A number Excel stored as a number lost its leading zeros:
    a CCCD of 10 or 11 digits is padded back to 12 when the result starts with a real
    province code, a CMND of 8 digits back to 9, each with a warning. Blank gives ''."""
    if is_blank(raw):
        return Parsed("")
    was_number = isinstance(raw, int | float) and not isinstance(raw, bool)
    if was_number and not float(raw).is_integer():
        raise ValueProblem(
            _("The document number %(value)s has decimals; type it as text.")
            % {"value": text(raw).value}
        )
    value = _number_text(raw) if was_number else _SEPARATORS.sub("", ascii_digits(nfc(str(raw))))
    if kind == IdKind.PASSPORT or (not kind and not is_ascii_digits(value)):
        return Parsed(value.upper())
    kind = kind or (IdKind.CCCD if len(value) >= 10 else guess_id_kind(value))
    padded = zeros_restored(value, kind)
    if padded != value:
        return Parsed(padded, (_zeros_warning(value, padded),))
    if kind == IdKind.CCCD and is_ascii_digits(value) and len(value) in (10, 11):
        raise ValueProblem(
            _(
                "The citizen ID %(value)s has %(count)s digits instead of 12. If Excel dropped "
                "its leading zeros, format the column as Text and type the number again."
            )
            % {"value": value, "count": len(value)}
        )
    return Parsed(value)


def _zeros_warning(value: str, padded: str) -> str:
    return _(
        "The document number was stored as a number and lost its leading zero: %(value)s was "
        "read as %(padded)s. Check it, and format the column as Text."
    ) % {"value": value, "padded": padded}


# Phone and e-mail ----------------------------------------------------------------------------

_PHONE_JUNK = re.compile(r"[\s.\-()/]")


def parse_phone(raw: Any) -> Parsed:
    """Vietnamese numbers to the national form 0…: +84 / 84 prefixes become 0, a number Excel
    stored as a number gets its 0 back. Blank gives ''."""
    if is_blank(raw):
        return Parsed("")
    was_number = isinstance(raw, int | float) and not isinstance(raw, bool)
    value = _number_text(raw) if was_number else _PHONE_JUNK.sub("", ascii_digits(nfc(str(raw))))
    warnings: tuple[str, ...] = ()
    if value.startswith("+84"):
        value = "0" + value[3:]
    elif value.startswith("0084"):
        value = "0" + value[4:]
    elif value.startswith("84") and len(value) == 11:
        value = "0" + value[2:]
    elif is_ascii_digits(value) and len(value) in (9, 10) and not value.startswith("0"):
        value = "0" + value  # the leading zero Excel drops from a number
    if not is_ascii_digits(value):
        raise ValueProblem(
            _("“%(value)s” is not a phone number. Write only digits, for example 0912345678.")
            % {"value": text(raw).value}
        )
    if not (value.startswith("0") and len(value) in (10, 11)):
        warnings = (
            _("The phone number %(value)s does not look like a Vietnamese number (0 and 9–10 "
              "digits).")
            % {"value": value},
        )  # fmt: skip
    return Parsed(value, warnings)


def parse_email(raw: Any) -> Parsed:
    if is_blank(raw):
        return Parsed("")
    value = text(raw).value.lower()
    try:
        validate_email(value)
    except ValidationError:
        raise ValueProblem(_("“%(value)s” is not an e-mail address.") % {"value": value}) from None
    return Parsed(value)
