"""Property-based tests of every value parser: what Excel and officers produce, read back."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from unionhub.imports import parsers
from unionhub.imports.parsers import EXCEL_EPOCH, MAX_YEAR, MIN_YEAR, ValueProblem
from unionhub.members.identity import PROVINCE_CODES

dates = st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2099, 12, 31))
provinces = st.sampled_from(sorted(PROVINCE_CODES))
cccds = st.builds(
    lambda p, rest: p + rest, provinces, st.text("0123456789", min_size=9, max_size=9)
)


@given(dates)
def test_dates_in_every_written_form_read_back(day):
    assert parsers.parse_date(day).value == day
    assert parsers.parse_date(dt.datetime.combine(day, dt.time())).value == day
    assert parsers.parse_date(day.strftime("%d/%m/%Y")).value == day
    assert parsers.parse_date(f"{day.day}/{day.month}/{day.year}").value == day
    assert parsers.parse_date(day.isoformat()).value == day
    assert parsers.parse_date(f"{day.isoformat()} 00:00:00").value == day
    assert parsers.parse_date(f" {day.day:02d}-{day.month:02d}-{day.year} ").value == day


@given(dates)
def test_excel_serial_numbers_are_dates(day):
    serial = (day - EXCEL_EPOCH).days
    if 1900 <= serial <= 2100:  # a number that reads as a year: see the year-only test
        return
    assert parsers.parse_date(float(serial)).value == day
    assert parsers.parse_date(serial).value == day


@given(st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date.today()))
def test_two_digit_years_are_the_latest_not_in_the_future(day):
    today = dt.date.today()
    parsed = parsers.parse_date(f"{day.day}/{day.month}/{day.year % 100:02d}", today=today).value
    assert parsed.year % 100 == day.year % 100
    assert parsed.year <= today.year
    assert today.year - parsed.year < 100


@given(st.integers(1900, 2100))
def test_year_only_where_allowed_with_a_warning(year):
    for raw in (year, float(year), str(year)):
        parsed = parsers.parse_date(raw, allow_year=True)
        assert parsed.value == dt.date(year, 1, 1)
        assert parsed.warnings == (f"Only the year is known: the date is taken as 01/01/{year}.",)
        with pytest.raises(ValueProblem, match="needs the full date"):
            parsers.parse_date(raw)


@given(st.text(min_size=1).filter(lambda s: s.strip() and not any(c.isdigit() for c in s)))
def test_text_without_digits_is_never_a_date(raw):
    with pytest.raises(ValueProblem, match="is not a date"):
        parsers.parse_date(raw, allow_year=True)


def test_impossible_calendar_dates_are_refused():
    for raw in ("31/02/1990", "29/02/1991", "00/01/1990", "1990-13-01"):
        with pytest.raises(ValueProblem, match=r"is not a date\. Write it as dd/mm/yyyy"):
            parsers.parse_date(raw)


@pytest.mark.parametrize(
    ("raw", "year"),
    [
        ("05/03/0985", 985),
        ("05/03/1885", 1885),
        ("1/1/0001", 1),
        ("0985-03-05", 985),
        ("05/03/2185", 2185),
        ("31/12/1899 00:00:00", 1899),
        (dt.date(1885, 3, 5), 1885),
        (dt.datetime(2185, 3, 5, 8, 30), 2185),
    ],
)
def test_a_date_with_an_absurd_year_is_refused_whatever_its_form(raw, year):
    with pytest.raises(ValueProblem) as problem:
        parsers.parse_date(raw, allow_year=True)
    assert problem.value.message.endswith(
        f"has the year {year}; a date here must fall between 1900 and 2100."
    )


def test_the_year_zero_is_not_a_date():
    with pytest.raises(ValueProblem, match="is not a date"):
        parsers.parse_date("1/1/0000")


@given(
    st.dates(max_value=dt.date(MIN_YEAR - 1, 12, 31))
    | st.dates(min_value=dt.date(MAX_YEAR + 1, 1, 1), max_value=dt.date(9999, 12, 31))
)
def test_no_written_form_slips_a_year_out_of_bounds_past_the_check(day):
    for raw in (
        day,
        f"{day.day:02d}/{day.month:02d}/{day.year:04d}",
        f"{day.year:04d}-{day.month:02d}-{day.day:02d}",
        f"{day.year:04d}",
    ):
        with pytest.raises(ValueProblem, match=f"has the year {day.year};"):
            parsers.parse_date(raw, allow_year=True)


@pytest.mark.parametrize("raw", ["01/01/1900", "1900-01-01", "31/12/2100", dt.date(2100, 12, 31)])
def test_the_first_and_last_years_are_dates(raw):
    assert parsers.parse_date(raw).value.year in (MIN_YEAR, MAX_YEAR)


@given(
    st.sampled_from(["Nam", "NAM", "nam", "Male", "M", "m", "Trai"]),
    st.sampled_from(["", " ", "  "]),
)
def test_male_words(word, pad):
    assert parsers.parse_gender(pad + word + pad).value == "male"


@given(
    st.sampled_from(["Nữ", "NỮ", "nu", "Nu", "Female", "F", "f", "Gái"]),
    st.sampled_from(["NFC", "NFD"]),
)
def test_female_words_in_either_unicode_form(word, form):
    assert parsers.parse_gender(unicodedata.normalize(form, word)).value == "female"


@given(st.text(min_size=1).filter(lambda s: s.strip()))
def test_gender_is_male_female_or_a_problem(raw):
    try:
        assert parsers.parse_gender(raw).value in ("male", "female")
    except ValueProblem as problem:
        assert "Write Nam or Nữ" in problem.message


@given(cccds)
def test_cccd_as_text_is_kept(number):
    parsed = parsers.parse_id_number(number)
    assert parsed.value == number and parsed.warnings == ()
    spaced = f"{number[:3]} {number[3:6]}.{number[6:]}"
    assert parsers.parse_id_number(spaced).value == number


@given(cccds)
def test_cccd_stored_as_number_gets_its_zeros_back_with_a_warning(number):
    as_number = float(int(number))
    parsed = parsers.parse_id_number(as_number)
    assert parsed.value == number  # every province code starts with 0, so this is certain
    assert len(parsed.warnings) == 1
    assert "lost its leading zero" in parsed.warnings[0]
    assert parsers.parse_id_number(int(number)).value == number


@given(
    st.text("123456789", min_size=1, max_size=1), st.text("0123456789", min_size=10, max_size=10)
)
def test_eleven_digits_not_starting_a_province_are_refused(first, rest):
    number = first + rest
    if ("0" + number)[:3] in PROVINCE_CODES:
        return
    with pytest.raises(ValueProblem, match="has 11 digits instead of 12"):
        parsers.parse_id_number(number)


FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
other_digits = st.characters(categories=["Nd"]).filter(lambda ch: not ch.isascii())


def test_a_full_width_cccd_reads_as_its_ascii_digits():
    parsed = parsers.parse_id_number("０４２０９００００１３２")
    assert parsed == ("042090000132", ())
    assert parsers.parse_id_number("０４２０９００００１３２", kind="cccd").value == "042090000132"
    assert parsers.parse_id_number("４２０９００００１３２").value == "042090000132"  # zero lost


# The zeros of the full-width, Arabic-Indic, Persian, Devanagari, Thai and mathematical digits.
_ZEROS = (0xFF10, 0x0660, 0x06F0, 0x0966, 0x0E50, 0x1D7CE)


@given(cccds, st.data())
def test_a_cccd_in_any_script_s_digits_reads_as_ascii(number, data):
    zeros = st.sampled_from([ord("0"), *_ZEROS])
    mixed = "".join(chr(data.draw(zeros) + int(digit)) for digit in number)
    assert parsers.parse_id_number(mixed).value == number


@given(cccds, st.lists(st.tuples(st.integers(0, 12), st.sampled_from("\u200b\ufeff\u00ad\x07"))))
def test_invisible_characters_in_a_cccd_are_dropped(number, insertions):
    dirty = number
    for position, character in insertions:
        dirty = dirty[:position] + character + dirty[position:]
    assert parsers.parse_id_number(dirty).value == number


@given(st.text(st.sampled_from("0123456789") | other_digits | st.characters(), max_size=14))
def test_a_document_number_is_ascii_digits_a_passport_or_a_problem(raw):
    try:
        value = parsers.parse_id_number(raw).value
    except ValueProblem:
        return
    if value and parsers.guess_id_kind(value) != "passport":
        assert value.isascii() and value.isdigit()


def test_a_phone_typed_in_full_width_digits_is_read():
    assert parsers.parse_phone("０９１２３４５６７８").value == "0912345678"


@given(st.text("0123456789", min_size=9, max_size=9))
def test_legacy_ids(number):
    assert parsers.parse_id_number(number, kind="cmnd").value == number
    if number[0] == "0" and number[1] != "0":
        parsed = parsers.parse_id_number(float(int(number)), kind="cmnd")
        assert parsed.value == number and parsed.warnings


@given(st.text("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", min_size=6, max_size=12))
def test_passports_upper_case_without_spaces(number):
    assert parsers.parse_id_number(f" {number.lower()} ", kind="passport").value == number


@given(st.sampled_from(["3", "5", "7", "8", "9"]), st.text("0123456789", min_size=8, max_size=8))
def test_phones_in_every_written_form(prefix, rest):
    national = "0" + prefix + rest
    for raw in (
        national,
        "+84" + national[1:],
        "84" + national[1:],
        "0084" + national[1:],
        f"{national[:4]} {national[4:7]} {national[7:]}",
        f"{national[:4]}.{national[4:7]}.{national[7:]}",
        float(national),  # a number cell: the 0 is gone
    ):
        parsed = parsers.parse_phone(raw)
        assert parsed.value == national and parsed.warnings == ()


@given(st.text(min_size=1).filter(lambda s: any(c.isalpha() for c in s)))
def test_phones_with_letters_are_refused(raw):
    with pytest.raises(ValueProblem, match="is not a phone number"):
        parsers.parse_phone(raw)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_text_is_nfc_trimmed_and_single_spaced(raw):
    value = parsers.text(raw).value
    assert value == unicodedata.normalize("NFC", value)
    assert value == value.strip()
    assert "  " not in value


@given(st.integers(-(10**12), 10**12))
def test_whole_numbers_read_as_text_without_decimals(number):
    assert parsers.text(float(number)).value == str(number)


@given(st.sampled_from(["CCCD", "cccd", "Căn cước công dân", "Can cuoc"]))
def test_document_kinds(word):
    assert parsers.parse_id_kind(word).value == "cccd"
    assert parsers.parse_id_kind("Hộ chiếu").value == "passport"
    assert parsers.parse_id_kind("CMND").value == "cmnd"


@given(st.emails())
def test_emails_lower_case(address):
    assert parsers.parse_email(address.upper()).value == address.upper().lower()


TODAY = dt.date(2026, 12, 5)


@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=TODAY))
def test_a_day_given_reads_back_in_every_written_form(day):
    for written in (day, day.strftime("%d/%m/%Y"), f"{day.day}/{day.month}/{day.year}"):
        assert parsers.parse_done(written, today=TODAY).value == day


@given(st.sampled_from(["Có", "có", "CO", "x", "X", "Đồng ý", "yes", "✓", 1, True, "Đã ký"]))
def test_a_yes_is_the_day_of_the_import(word):
    assert parsers.parse_done(word, today=TODAY).value == TODAY


@given(st.sampled_from(["Không", "không", "KHONG", "Chưa", "no", "-", 0, False, "", None, "  "]))
def test_a_no_or_a_blank_records_nothing(word):
    assert parsers.parse_done(word, today=TODAY).value is None


@given(st.dates(min_value=TODAY + dt.timedelta(days=1), max_value=dt.date(2099, 12, 31)))
def test_a_day_after_today_is_refused(day):
    with pytest.raises(ValueProblem, match="later than today"):
        parsers.parse_done(day.strftime("%d/%m/%Y"), today=TODAY)


@given(st.text(min_size=1).filter(lambda s: s.strip() and not any(c.isdigit() for c in s)))
def test_anything_else_is_refused_with_what_to_write(text):
    try:
        parsed = parsers.parse_done(text, today=TODAY)
    except ValueProblem as problem:
        assert "“Có”" in problem.message
    else:  # one of the words for yes or no, however it was spelt
        assert parsed.value in (TODAY, None)


@pytest.mark.parametrize(
    "raw", ["03/1985", "3-1985", "3.1985", "tháng 3/1985", "Tháng 03 năm 1985", "thang 3/1985"]
)
def test_a_month_and_year_where_a_year_alone_is_allowed_is_the_months_first_day(raw):
    parsed = parsers.parse_date(raw, allow_year=True)
    assert parsed.value == dt.date(1985, 3, 1)
    assert parsed.warnings == ("Only the month is known: the date is taken as 01/03/1985.",)
    with pytest.raises(ValueProblem, match="needs the full date"):
        parsers.parse_date(raw)


@pytest.mark.parametrize("raw", ["năm 1985", "Năm 1985", "nam 1985"])
def test_the_word_for_year_before_a_year(raw):
    assert parsers.parse_date(raw, allow_year=True).value == dt.date(1985, 1, 1)


@pytest.mark.parametrize("raw", ["13/1985", "0/1985", "03/1885"])
def test_a_month_and_year_out_of_the_calendar_is_refused(raw):
    with pytest.raises(ValueProblem):
        parsers.parse_date(raw, allow_year=True)
