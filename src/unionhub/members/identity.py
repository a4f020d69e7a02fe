"""Identity documents: what makes a number valid (errors) and what merely looks odd (warnings).

CCCD (12 digits): digits 1–3 are the province of birth registration, digit 4 encodes gender and
century, digits 5–6 the last two digits of the birth year (DESIGN §2). A mismatch with the
profile is a warning: the document is what it is, and the profile may be the thing that is wrong.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from django.utils.translation import gettext as _

from unionhub.core.errors import DomainError
from unionhub.core.text import nfc
from unionhub.members.models import Gender, IdKind

# Province codes of the 63 provinces (Circular 07/2016/TT-BCA, as used on CCCD cards).
_PROVINCE_TABLE = (
    "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 "
    "035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 "
    "070 072 074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096"
)
PROVINCE_CODES = frozenset(_PROVINCE_TABLE.split())
# Digit 4 of a CCCD: (century, gender) by digit; the 19th century is 8/9.
_CENTURY_GENDER = {
    "0": (1900, Gender.MALE),
    "1": (1900, Gender.FEMALE),
    "2": (2000, Gender.MALE),
    "3": (2000, Gender.FEMALE),
    "4": (2100, Gender.MALE),
    "5": (2100, Gender.FEMALE),
    "6": (2200, Gender.MALE),
    "7": (2200, Gender.FEMALE),
    "8": (1800, Gender.MALE),
    "9": (1800, Gender.FEMALE),
}
_PASSPORT = re.compile(r"^[A-Z0-9]{6,12}$")


_ID_KINDS = frozenset(IdKind.values)


def is_ascii_digits(value: str) -> bool:
    """Whether `value` is made of 0–9 only. `str.isdigit` alone also takes "０４２" (full-width)
    and other scripts' digits, which no table keyed by "0"–"9" knows."""
    return value.isascii() and value.isdigit()


def ascii_digits(value: str) -> str:
    """`value` with the digits of any script written 0–9 and compatibility forms (full-width
    letters and digits, as a Japanese or Chinese keyboard types them) folded by NFKC: the
    number an officer typed is the number, whichever keyboard typed it."""
    folded = unicodedata.normalize("NFKC", value)
    if folded.isascii():
        return folded
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in folded)


def normalise_number(kind: str, number: str) -> str:
    """The canonical form stored: digits only for Vietnamese IDs, upper-case for passports.
    Invisible characters (a pasted zero-width space) are dropped and digits made ASCII first."""
    number = ascii_digits(nfc(number))
    if kind == IdKind.PASSPORT:
        return re.sub(r"\s+", "", number).upper()
    return re.sub(r"[\s.\-]", "", number)


def zeros_restored(number: str, kind: str = "") -> str:
    """`number` with the leading zeros a spreadsheet drops from a number put back: a citizen ID
    (or a number of unknown kind) of 10 or 11 digits padded to 12 when it then starts with a
    real province code, an ID card (CMND) of 8 digits to 9; any other number as it is. Every
    file that names members by document (the member import, a payroll) reads them so."""
    if not is_ascii_digits(number):
        return number
    if kind in ("", IdKind.CCCD) and len(number) in (10, 11):
        padded = number.zfill(12)
        return padded if padded[:3] in PROVINCE_CODES else number
    if kind == IdKind.CMND and len(number) == 8:
        return number.zfill(9)
    return number


def validate(kind: str, number: str) -> None:
    """Raise DomainError when `number` cannot be a document of `kind` (empty is allowed)."""
    if not number:
        return
    if kind == IdKind.CCCD and not (is_ascii_digits(number) and len(number) == 12):
        raise DomainError(
            "id_invalid", _("A citizen ID (CCCD) has exactly 12 digits."), field="id_number"
        )
    if kind == IdKind.CMND and not (is_ascii_digits(number) and len(number) == 9):
        raise DomainError(
            "id_invalid", _("A legacy ID (CMND) has exactly 9 digits."), field="id_number"
        )
    if kind == IdKind.PASSPORT and not _PASSPORT.match(number):
        raise DomainError(
            "id_invalid",
            _("A passport number has 6 to 12 letters and digits."),
            field="id_number",
        )
    if kind not in _ID_KINDS:
        raise DomainError("id_invalid", _("Unknown kind of identity document."), field="id_kind")


def warnings(
    kind: str, number: str, *, gender: str = "", birth_date: dt.date | None = None
) -> list[str]:
    """What looks inconsistent between a CCCD and the profile; an empty list when nothing."""
    if kind != IdKind.CCCD or len(number) != 12 or not is_ascii_digits(number):
        return []
    found = []
    if number[:3] not in PROVINCE_CODES:
        found.append(
            _("The first three digits (%(code)s) are not a province code.") % {"code": number[:3]}
        )
    century, coded_gender = _CENTURY_GENDER[number[3]]
    if gender and gender != coded_gender:
        found.append(
            _("Digit 4 of the citizen ID says %(coded)s, the profile says %(gender)s.")
            % {"coded": Gender(coded_gender).label, "gender": Gender(gender).label}
        )
    if birth_date is not None:
        coded_year = century + int(number[4:6])
        if coded_year != birth_date.year:
            found.append(
                _("The citizen ID encodes birth year %(coded)s, the profile says %(year)s.")
                % {"coded": coded_year, "year": birth_date.year}
            )
    return found
