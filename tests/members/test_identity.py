import contextlib
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from unionhub.core.errors import DomainError
from unionhub.members.identity import (
    PROVINCE_CODES,
    ascii_digits,
    normalise_number,
    validate,
    warnings,
    zeros_restored,
)

cccds = st.builds(
    lambda province, rest: province + rest,
    st.sampled_from(sorted(PROVINCE_CODES)),
    st.text("0123456789", min_size=9, max_size=9),
)


@given(cccds)
def test_a_citizen_id_that_lost_its_leading_zeros_gets_them_back(number):
    assert zeros_restored(str(int(number))) == number
    assert zeros_restored(str(int(number)), "cccd") == number
    assert zeros_restored(number) == number


@given(st.text("0123456789", min_size=1, max_size=12))
def test_only_the_zeros_a_number_can_have_lost_are_put_back(number):
    restored = zeros_restored(number)
    assert restored.lstrip("0") == number.lstrip("0")
    if restored != number:
        assert len(restored) == 12 and restored[:3] in PROVINCE_CODES


def test_id_cards_and_passports():
    assert zeros_restored("12345678", "cmnd") == "012345678"
    assert zeros_restored("12345678") == "12345678"  # eight digits of an unknown kind
    assert zeros_restored("B1234567", "passport") == "B1234567"


# Digits that are not 0–9: full-width (a Japanese or Chinese keyboard), Arabic-Indic, Devanagari…
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
other_digits = st.characters(categories=["Nd"]).filter(lambda ch: not ch.isascii())


def test_a_full_width_citizen_id_is_refused_not_a_crash():
    number = "042090000132".translate(FULL_WIDTH)
    assert number.isdigit()  # what let it through before
    with pytest.raises(DomainError) as refused:
        validate("cccd", number)
    assert refused.value.code == "id_invalid"
    with pytest.raises(DomainError) as refused:
        validate("cmnd", "042090001".translate(FULL_WIDTH))
    assert refused.value.code == "id_invalid"
    assert warnings("cccd", number, gender="male", birth_date=dt.date(1990, 1, 1)) == []
    assert zeros_restored("42090000132".translate(FULL_WIDTH)) == "42090000132".translate(
        FULL_WIDTH
    )


def test_the_stored_form_has_ascii_digits_and_no_invisible_characters():
    assert normalise_number("cccd", "042090000132".translate(FULL_WIDTH)) == "042090000132"
    assert normalise_number("cccd", "\ufeff042\u200b090.000\u00ad132\x07") == "042090000132"
    assert normalise_number("passport", "ｂ１２３４５６７") == "B1234567"


@given(st.text(st.sampled_from("0123456789") | other_digits, min_size=12, max_size=12))
def test_digits_of_any_script_read_as_the_ascii_digits_they_are(number):
    converted = ascii_digits(number)
    assert converted.isascii() and converted.isdigit()
    assert int(converted) == int(number)


@given(st.sampled_from(["cccd", "cmnd", "passport"]), st.text(max_size=14))
def test_no_number_crashes_the_checks(kind, number):
    with contextlib.suppress(DomainError):
        validate(kind, number)
    assert isinstance(warnings(kind, number, gender="male", birth_date=dt.date(1990, 1, 1)), list)
    assert isinstance(zeros_restored(number, kind), str)
