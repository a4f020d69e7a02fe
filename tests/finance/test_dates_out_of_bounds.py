"""Years, months and booking dates the books cannot have: a 404 for a page about one, a
clear refusal naming the field for a booking dated on one, whether from a page or the API."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from tests.finance.helpers import collect
from unionhub.core import scope
from unionhub.core.errors import DomainError
from unionhub.finance import services
from unionhub.finance.models import (
    Account,
    DuesLine,
    EmployerFee,
    JournalEntry,
    Remittance,
)
from unionhub.finance.services import BOOKS_BEGIN, Line

JUNE = dt.date(2025, 6, 1)
BAD_YEARS = ["0", "1", "9999", "10000", "99999999999999999999"]
BAD_MONTHS = ["0", "13", "99999999999999999999"]
MONTH_PAGES = ["", "compute/", "paid/", "post/", "payroll/", "remit/"]
YEAR_PAGES = ["cash/{}/", "cash/{}/record/", "remittances/{}/", "fees/{}/", "accounts/{}/"]


@pytest.fixture
def treasurer(tree, officer_at, client):
    officer = officer_at(tree.grassroots_a1, scope.FINANCE)
    client.force_login(officer)
    return officer


def _month_urls(unit):
    base = f"/finance/u/{unit.pk}/"
    for page in MONTH_PAGES:
        for year in BAD_YEARS:
            yield f"{base}{year}/6/{page}"
        for month in BAD_MONTHS:
            yield f"{base}2026/{month}/{page}"


def _year_urls(unit):
    for page in YEAR_PAGES:
        for year in BAD_YEARS:
            yield f"/finance/u/{unit.pk}/" + page.format(year)


def test_a_year_or_month_outside_the_calendar_is_not_found(tree, treasurer, client):
    unit = tree.grassroots_a1
    urls = [*_month_urls(unit), *_year_urls(unit)]
    answers = {url: (client.get(url).status_code, client.post(url).status_code) for url in urls}
    assert {url: codes for url, codes in answers.items() if codes != (404, 404)} == {}
    assert not DuesLine.objects.exists()  # December 9999 and the rest computed nothing


def test_the_first_and_last_months_open_with_their_neighbours_linked(tree, treasurer, client):
    # The previous month of January 1900 and the next of December 2999 are links (to a 404),
    # not a date Python cannot build.
    for year, month, neighbour in [(1900, 1, "/1899/12/"), (2999, 12, "/3000/1/")]:
        page = client.get(reverse("finance:roll", args=[tree.grassroots_a1.pk, year, month]))
        assert page.status_code == 200
        assert neighbour in page.content.decode()
    for name in ("cash_book", "remittances", "fees", "accounts"):
        page = client.get(reverse(f"finance:{name}", args=[tree.grassroots_a1.pk, 1900]))
        assert page.status_code == 200


IMPOSSIBLE = [dt.date(2099, 12, 31), dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.date(1999, 12, 31)]


def _code(day):
    return "date_in_future" if day > timezone.localdate() else "date_before_books"


@pytest.mark.parametrize("day", IMPOSSIBLE, ids=str)
def test_a_cash_entry_on_an_impossible_day_is_refused(tree, treasurer, day):
    with pytest.raises(DomainError) as refused:
        services.cash_record(
            unit=tree.grassroots_a1, date=day, account=Account.ACTIVITY_EXPENSE,
            amount=100_000, description="Hội thao", by=treasurer,
        )  # fmt: skip
    assert (refused.value.code, refused.value.field) == (_code(day), "date")
    assert str(refused.value.message).startswith("Ngày: ")  # the field, by its label
    assert not JournalEntry.objects.exists()


@pytest.mark.parametrize("day", IMPOSSIBLE, ids=str)
def test_an_entry_or_reversal_on_an_impossible_day_is_refused(tree, admit, day):
    member = admit()
    collect(tree.grassroots_a1, JUNE, {member: 10_000_000}, tree.admin)
    entries = JournalEntry.objects.count()
    lines = [Line(Account.ADMIN_EXPENSE, 500), Line(Account.CASH, -500)]
    with pytest.raises(DomainError) as refused:
        services.entry_record(
            unit=tree.grassroots_a1, date=day, description="Chi", lines=lines, by=tree.admin
        )
    assert (refused.value.code, refused.value.field) == (_code(day), "date")
    posted = JournalEntry.objects.filter(unit=tree.grassroots_a1).first()
    with pytest.raises(DomainError) as refused:
        services.entry_reverse(entry=posted, date=day, by=tree.admin)
    assert (refused.value.code, refused.value.field) == (_code(day), "date")
    assert JournalEntry.objects.count() == entries


@pytest.mark.parametrize("day", IMPOSSIBLE, ids=str)
def test_dues_paid_or_posted_on_an_impossible_day_are_refused(tree, admit, day):
    member = admit()
    services.salary_set(member=member, month=JUNE, amount=10_000_000, by=tree.admin)
    services.dues_compute(unit=tree.grassroots_a1, month=JUNE, by=tree.admin)
    with pytest.raises(DomainError) as refused:
        services.dues_mark_paid(
            unit=tree.grassroots_a1, month=JUNE, member_ids=[member.pk], paid_on=day,
            by=tree.admin,
        )  # fmt: skip
    assert (refused.value.code, refused.value.field) == (_code(day), "paid_on")
    assert DuesLine.objects.get().paid_on is None
    services.dues_mark_paid(
        unit=tree.grassroots_a1, month=JUNE, member_ids=[member.pk], paid_on=JUNE, by=tree.admin
    )
    with pytest.raises(DomainError) as refused:
        services.dues_post(unit=tree.grassroots_a1, month=JUNE, on=day, by=tree.admin)
    assert (refused.value.code, refused.value.field) == (_code(day), "on")
    assert not JournalEntry.objects.exists()


@pytest.mark.parametrize("day", IMPOSSIBLE, ids=str)
def test_a_remittance_on_an_impossible_day_is_refused(tree, admit, day):
    member = admit()
    collect(tree.grassroots_a1, JUNE, {member: 10_000_000}, tree.admin)
    with pytest.raises(DomainError) as refused:
        services.remittance_record(
            unit=tree.grassroots_a1, month=JUNE, amount=1_000, date=day, by=tree.admin
        )
    assert (refused.value.code, refused.value.field) == (_code(day), "date")
    assert not Remittance.objects.exists()


@pytest.mark.parametrize("day", IMPOSSIBLE, ids=str)
def test_a_fee_paid_or_posted_on_an_impossible_day_is_refused(tree, treasurer, day):
    fee = services.fee_record(unit=tree.grassroots_a1, month=JUNE, payroll=10**7, by=treasurer)
    with pytest.raises(DomainError) as refused:
        services.fee_pay(fee=fee, amount=fee.due, paid_on=day, by=treasurer)
    assert (refused.value.code, refused.value.field) == (_code(day), "paid_on")
    assert EmployerFee.objects.get().paid == 0
    fee = services.fee_pay(fee=fee, amount=fee.due, paid_on=JUNE, by=treasurer)
    with pytest.raises(DomainError) as refused:
        services.fee_post(fee=fee, on=day, by=tree.admin)
    assert (refused.value.code, refused.value.field) == (_code(day), "on")
    assert not JournalEntry.objects.exists()


def test_the_first_day_of_the_books_and_today_are_booked(tree, treasurer):
    for day in (BOOKS_BEGIN, timezone.localdate()):
        services.cash_record(
            unit=tree.grassroots_a1, date=day, account=Account.OTHER_REVENUE,
            amount=100_000, description="Thu khác", by=treasurer,
        )  # fmt: skip
    assert sorted(JournalEntry.objects.values_list("date", flat=True)) == [
        BOOKS_BEGIN,
        timezone.localdate(),
    ]


@pytest.mark.parametrize("typed", ["2099-12-31", "0001-01-01", "9999-12-31"])
def test_the_cash_book_form_refuses_an_impossible_day_in_words(tree, treasurer, client, typed):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    answer = client.post(
        reverse("finance:cash_record", args=[tree.grassroots_a1.pk, 2026]),
        {"account": Account.ACTIVITY_EXPENSE, "amount": "100000", "date": typed,
         "description": "Hội thao", "via": Account.CASH},
    )  # fmt: skip
    assert answer.status_code == 302
    [message] = [str(m) for m in get_messages(answer.wsgi_request)]
    assert message.startswith("Ngày: ") and "sổ sách" in message
    assert not JournalEntry.objects.exists()


def test_the_api_refuses_a_fee_payment_before_the_books_begin(tree, treasurer, client):
    fee = services.fee_record(unit=tree.grassroots_a1, month=JUNE, payroll=10**7, by=treasurer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    answer = client.post(
        f"/api/v1/finance/fees/{fee.pk}/pay/",
        {"amount": fee.due, "paid_on": "0001-04-10"},
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert answer.json()["code"] == "date_before_books"
    assert answer.json()["detail"] == (
        "Paid on: 10/04/0001 is before 01/01/2000, when the books kept here begin."
    )
    assert not fee.payments.exists()
