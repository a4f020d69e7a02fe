"""Card numbers: nationally unique, with the issuing province in them and a check digit pair.

Scheme (13 digits, printed grouped as ``PPP SSSS SSSS CC``):

- ``PPP`` — the issuing series' code, by default the province code that the citizen ID card
  also uses (Hà Tĩnh is 042). Each series belongs to one province federation or national sector
  union, and two series never share a code, so numbers of different provinces never collide.
- ``SSSSSSSS`` — the serial within the series, from a counter row locked with
  ``select_for_update()`` (never ``max()+1``): 100 million cards per province.
- ``CC`` — ISO 7064 MOD 97-10 check digits over the first 11 digits, the scheme IBAN uses:
  the whole number read as an integer is ≡ 1 (mod 97). It catches every single-digit error and
  every transposition of two adjacent digits (and most other errors: 1 in 97 slips through).
"""

from __future__ import annotations

import re

PREFIX_DIGITS = 3
SERIAL_DIGITS = 8
CHECK_DIGITS = 2
BODY_DIGITS = PREFIX_DIGITS + SERIAL_DIGITS
NUMBER_DIGITS = BODY_DIGITS + CHECK_DIGITS
MAX_SERIAL = 10**SERIAL_DIGITS - 1
_NOT_DIGIT = re.compile(r"[\s.\-]")


def check_digits(body: str) -> str:
    """The two MOD 97-10 check digits for a string of digits."""
    if not body.isdigit():
        raise ValueError("card numbers are made of digits")
    return f"{98 - (int(body) * 100) % 97:02d}"


def is_valid(number: str) -> bool:
    """Does `number` (13 digits, any grouping) carry correct check digits?"""
    digits = normalise(number)
    return len(digits) == NUMBER_DIGITS and digits.isdigit() and int(digits) % 97 == 1


def compose(prefix: str, serial: int) -> str:
    """The full number for `serial` in the series `prefix`."""
    if len(prefix) != PREFIX_DIGITS or not prefix.isdigit():
        raise ValueError("a series code is three digits")
    if not 1 <= serial <= MAX_SERIAL:
        raise ValueError("serial out of range")
    body = f"{prefix}{serial:0{SERIAL_DIGITS}d}"
    return body + check_digits(body)


def normalise(number: str) -> str:
    """Drop the spaces, dots and dashes people type between groups."""
    return _NOT_DIGIT.sub("", number or "")


def display(number: str) -> str:
    """``042 0000 1234 56``: groups of at most four digits are what people read back reliably."""
    digits = normalise(number)
    if len(digits) != NUMBER_DIGITS:
        return digits
    serial = digits[PREFIX_DIGITS:BODY_DIGITS]
    return f"{digits[:PREFIX_DIGITS]} {serial[:4]} {serial[4:]} {digits[BODY_DIGITS:]}"
