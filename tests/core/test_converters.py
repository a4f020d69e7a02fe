"""The calendar converters: a year or month outside what a page can be about matches no URL."""

import pytest

from unionhub.core.converters import FIRST_YEAR, LAST_YEAR, MonthConverter, YearConverter

pytestmark = pytest.mark.no_database


@pytest.mark.parametrize("text", ["1900", "2026", "2999"])
def test_a_plausible_year_is_read(text):
    assert YearConverter().to_python(text) == int(text)


@pytest.mark.parametrize("text", ["0000", "0001", "1899", "3000", "9999"])
def test_a_year_outside_the_bounds_matches_nothing(text):
    with pytest.raises(ValueError):
        YearConverter().to_python(text)


def test_the_bounds_leave_a_neighbouring_month_inside_pythons_dates():
    # A page's previous and next links step one month (or one year) either way.
    assert FIRST_YEAR - 1 > 1 and LAST_YEAR + 1 < 9999


@pytest.mark.parametrize("text", ["1", "01", "9", "12"])
def test_a_month_of_the_year_is_read(text):
    assert MonthConverter().to_python(text) == int(text)


@pytest.mark.parametrize("text", ["0", "00", "13", "99"])
def test_a_month_outside_the_year_matches_nothing(text):
    with pytest.raises(ValueError):
        MonthConverter().to_python(text)


def test_a_link_to_a_year_past_the_bounds_is_still_written():
    """The next-year link on the last year's page renders (and answers 404), rather than the
    page failing to render."""
    assert YearConverter().to_url(LAST_YEAR + 1) == "3000"
    assert MonthConverter().to_url(3) == "3"
