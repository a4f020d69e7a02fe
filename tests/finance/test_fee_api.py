"""Employers' union fees through the API: listed in the caller's subtree only, filtered, sorted
and paged; recorded, paid and posted through the services, with the ledger they write; and
the fee page offering "Post" only to the level that collects the fee."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from unionhub.core import scope
from unionhub.finance import selectors, services
from unionhub.finance.models import Account, EmployerFee, FeeStatus, JournalEntry, Posting

pytestmark = pytest.mark.django_db
URL = "/api/v1/finance/fees/"
JUNE = dt.date(2025, 6, 1)
SEPTEMBER = dt.date(2025, 9, 1)  # the province collects the fee of months from here on


@pytest.fixture
def treasurer(tree, officer_at):
    return officer_at(tree.grassroots_a1, scope.FINANCE)


def _fee(unit, month, by, payroll=10_000_000, pay=False):
    fee = services.fee_record(unit=unit, month=month, payroll=payroll, by=by)
    if pay:
        fee = services.fee_pay(fee=fee, amount=fee.due, paid_on=month, by=by)
    return fee


def _post_json(client, url, body, language="en"):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.post(url, body, content_type="application/json")


def _own_books(unit):
    """The balance of each account in `unit`'s own books (not its subtree's)."""
    balances: dict[str, int] = {}
    for account, amount in Posting.objects.filter(entry__unit=unit).values_list(
        "account", "amount"
    ):
        balances[account] = balances.get(account, 0) + amount
    return balances


def _ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


# Reading -----------------------------------------------------------------------------------


def test_an_officer_lists_the_fees_of_their_subtree_only(tree, treasurer, officer_at, client):
    a1 = _fee(tree.grassroots_a1, JUNE, treasurer)
    a2 = _fee(tree.grassroots_a2, JUNE, tree.admin)
    b1 = _fee(tree.grassroots_b1, JUNE, tree.admin)
    client.force_login(officer_at(tree.district_a, scope.FINANCE))
    assert sorted(_ids(client.get(URL))) == sorted([a1.pk, a2.pk])
    client.force_login(officer_at(tree.province, scope.FINANCE))
    assert sorted(_ids(client.get(URL))) == sorted([a1.pk, a2.pk, b1.pk])
    # A sibling union's treasurer sees nothing of a1's: not in the list, not by id, not by unit.
    client.force_login(officer_at(tree.grassroots_a2, scope.FINANCE))
    assert _ids(client.get(URL)) == [a2.pk]
    assert client.get(f"{URL}{a1.pk}/").status_code == 404
    refused = client.get(URL, {"unit": tree.grassroots_a1.pk})
    assert refused.status_code == 403 and refused.json()["code"] == "out_of_scope"
    # A role that reads no books (a registrar at the district) sees no fee at all.
    client.force_login(officer_at(tree.district_a, scope.REGISTRAR))
    assert _ids(client.get(URL)) == []


def test_the_list_filters_by_unit_period_and_status_and_sorts_and_pages(
    tree, treasurer, officer_at, client
):
    july, august = dt.date(2025, 7, 1), dt.date(2025, 8, 1)
    june_a1 = _fee(tree.grassroots_a1, JUNE, treasurer, payroll=50_000_000, pay=True)
    july_a1 = _fee(tree.grassroots_a1, july, treasurer, payroll=10_000_000)
    july_a2 = _fee(tree.grassroots_a2, july, tree.admin, payroll=90_000_000)
    old = _fee(tree.grassroots_a2, dt.date(2024, 12, 1), tree.admin)
    client.force_login(officer_at(tree.district_a, scope.FINANCE))
    assert set(_ids(client.get(URL, {"unit": tree.grassroots_a1.pk}))) == {june_a1.pk, july_a1.pk}
    assert set(_ids(client.get(URL, {"month": "2025-07-01"}))) == {july_a1.pk, july_a2.pk}
    assert _ids(client.get(URL, {"month": august.isoformat()})) == []
    assert _ids(client.get(URL, {"year": 2024})) == [old.pk]
    assert _ids(client.get(URL, {"status": "paid"})) == [june_a1.pk]
    both = {"year": 2025, "status": "due", "unit": tree.grassroots_a2.pk}
    assert _ids(client.get(URL, both)) == [july_a2.pk]
    assert _ids(client.get(URL, {"year": 2025, "sort": "-due"})) == [
        july_a2.pk,  # 1,800,000
        june_a1.pk,  # 1,000,000
        july_a1.pk,  # 200,000
    ]
    assert _ids(client.get(URL, {"sort": "-month"}))[0] in (july_a1.pk, july_a2.pk)
    assert _ids(client.get(URL, {"sort": "-month"}))[-1] == old.pk
    first = client.get(URL, {"page_size": 2}).json()
    assert first["count"] == 4 and first["next"] is None  # the page size is the server's
    assert client.get(URL, {"page": 2}).status_code == 404
    for bad in ({"status": "lost"}, {"sort": "payroll"}, {"month": "July"}, {"year": "x"}):
        response = client.get(URL, bad)
        assert response.status_code == 400, bad
    unit = client.get(URL, {"unit": "HT-DT"})
    assert unit.status_code == 400 and unit.json()["code"] == "unit_invalid"


def test_the_detail_shows_the_payments_and_what_is_posted(tree, treasurer, officer_at, client):
    fee = _fee(tree.grassroots_a1, JUNE, treasurer, payroll=50_000_000)  # 1,000,000 due
    services.fee_pay(fee=fee, amount=400_000, paid_on=dt.date(2025, 7, 2), by=treasurer)
    services.fee_pay(fee=fee, amount=600_000, paid_on=dt.date(2025, 7, 9), by=treasurer)
    client.force_login(officer_at(tree.district_a, scope.FINANCE))
    body = client.get(f"{URL}{fee.pk}/").json()
    assert (body["due"], body["paid"], body["outstanding"], body["status"]) == (
        1_000_000,
        1_000_000,
        0,
        "paid",
    )
    assert [(p["amount"], p["paid_on"], p["entry"]) for p in body["payments"]] == [
        (400_000, "2025-07-02", None),
        (600_000, "2025-07-09", None),
    ]
    assert body["awaiting_posting"] is True and body["collector"] is None


# Writing -----------------------------------------------------------------------------------


def test_the_treasurer_records_pays_and_the_collector_posts_through_the_api(
    tree, treasurer, officer_at, client
):
    client.force_login(treasurer)
    created = _post_json(
        client,
        URL,
        {"unit": tree.grassroots_a1.pk, "month": "2025-06-01", "payroll": 50_000_000},
    )
    assert created.status_code == 201, created.content
    fee = EmployerFee.objects.get(pk=created.json()["id"])
    assert (fee.due, fee.status, created.json()["due"]) == (1_000_000, FeeStatus.DUE, 1_000_000)
    paid = _post_json(client, f"{URL}{fee.pk}/pay/", {"amount": 1_000_000, "paid_on": "2025-07-03"})
    assert paid.status_code == 200 and paid.json()["status"] == "paid"
    assert [p["amount"] for p in paid.json()["payments"]] == [1_000_000]
    # The union does not post: its upper level collects the fee of June 2025.
    assert _post_json(client, f"{URL}{fee.pk}/post/", {"on": "2025-07-08"}).status_code == 403
    assert not JournalEntry.objects.exists()

    client.force_login(officer_at(tree.district_a, scope.FINANCE))
    posted = _post_json(client, f"{URL}{fee.pk}/post/", {"on": "2025-07-08"})
    assert posted.status_code == 200, posted.content
    body = posted.json()
    assert (body["collector"], body["share"], body["posted"]) == (
        tree.district_a.pk,
        750_000,
        1_000_000,
    )
    [payment] = body["payments"]
    assert payment["share"] == 750_000 and payment["entry"] and payment["grassroots_entry"]
    # The ledger: the district received the payment, kept its quarter and passed the share
    # down; the union received the share; each book balances.
    assert _own_books(tree.district_a) == {Account.BANK: 250_000, Account.FEE_REVENUE: -250_000}
    assert _own_books(tree.grassroots_a1) == {
        Account.BANK: 750_000,
        Account.FEE_REVENUE: -750_000,
    }
    passed = Posting.objects.get(entry=payment["entry"], counterpart=tree.grassroots_a1)
    assert passed.amount == -750_000
    entries = client.get("/api/v1/finance/entries/", {"unit": tree.grassroots_a1.pk}).json()
    assert [e["kind"] for e in entries["results"]] == ["fee_share"]


def test_the_province_posts_a_fee_it_collects_and_the_district_is_refused(
    tree, treasurer, officer_at, client
):
    fee = _fee(tree.grassroots_a1, SEPTEMBER, treasurer, pay=True)  # 200,000 due, share 150,000
    client.force_login(officer_at(tree.district_a, scope.FINANCE))
    refused = _post_json(client, f"{URL}{fee.pk}/post/", {"on": "2025-10-03"})
    assert refused.status_code == 403 and refused.json()["code"] == "out_of_scope"
    client.force_login(officer_at(tree.province, scope.FINANCE))
    posted = _post_json(client, f"{URL}{fee.pk}/post/", {"on": "2025-10-03"})
    assert posted.status_code == 200 and posted.json()["collector"] == tree.province.pk
    assert _own_books(tree.province) == {Account.BANK: 50_000, Account.FEE_REVENUE: -50_000}
    assert not Posting.objects.filter(entry__unit=tree.district_a).exists()


def test_bad_input_is_refused_with_a_clear_message(tree, treasurer, client):
    client.force_login(treasurer)
    record = {"unit": tree.grassroots_a1.pk, "month": "2025-06-01", "payroll": -5}
    negative = _post_json(client, URL, record)
    assert negative.status_code == 400 and negative.json()["code"] == "fee_payroll_invalid"
    assert negative.json()["field"] == "payroll" and "between 0 and" in negative.json()["detail"]
    mid_month = _post_json(client, URL, {**record, "payroll": 1, "month": "2025-06-15"})
    assert mid_month.json()["code"] == "month_not_first_day"
    reduced = _post_json(client, URL, {**record, "payroll": 1, "status": "reduced"})
    assert reduced.status_code == 400 and reduced.json()["field"] == "rate"
    assert _post_json(client, URL, {**record, "status": "paid"}).status_code == 400
    assert not EmployerFee.objects.exists()

    fee = _fee(tree.grassroots_a1, JUNE, treasurer, payroll=5_000_000)  # 100,000 due
    pay = f"{URL}{fee.pk}/pay/"
    for amount in (-1_000, 0, 100_001):
        for language, words in (("en", "still due"), ("vi", "còn phải đóng")):
            response = _post_json(
                client, pay, {"amount": amount, "paid_on": "2025-07-01"}, language
            )
            assert response.status_code == 400, amount
            body = response.json()
            assert body["code"] == "fee_payment_invalid" and body["field"] == "amount"
            assert words in body["detail"] and "100.000" in body["detail"]
    assert _post_json(client, pay, {"amount": "much", "paid_on": "2025-07-01"}).status_code == 400
    assert _post_json(client, pay, {"amount": 1}).status_code == 400  # no date
    assert not fee.payments.exists()
    # Nothing paid yet: nothing to post, whoever asks.
    client.force_login(tree.admin)
    nothing = _post_json(client, f"{URL}{fee.pk}/post/", {"on": "2025-07-08"})
    assert nothing.status_code == 400 and nothing.json()["code"] == "fee_not_paid"
    assert _post_json(client, f"{URL}{fee.pk}/post/", {}).status_code == 400  # no date


def test_a_month_to_come_or_a_payment_dated_tomorrow_is_refused_clearly(tree, treasurer, client):
    """December 9999 is a date the API reads; a fee of a month that has not come is bad input,
    as is a payment dated after today: a clear message each, nothing stored."""
    client.force_login(treasurer)
    record = {"unit": tree.grassroots_a1.pk, "month": "9999-12-01", "payroll": 1_000_000}
    refused = _post_json(client, URL, record, language="vi")
    assert refused.status_code == 400
    assert refused.json()["code"] == "fee_month_future"
    assert refused.json()["detail"].startswith("Chưa thể ghi kinh phí công đoàn tháng 12/9999")
    assert not EmployerFee.objects.exists()
    fee = _fee(tree.grassroots_a1, JUNE, treasurer)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    paid = _post_json(client, f"{URL}{fee.pk}/pay/", {"amount": 20_000, "paid_on": tomorrow})
    assert paid.status_code == 400
    assert paid.json()["code"] == "date_in_future"
    assert paid.json()["detail"].startswith("Paid on: ")
    assert paid.json()["detail"].endswith(
        "is in the future; the books hold only days that have come."
    )
    fee.refresh_from_db()
    assert fee.paid == 0 and not fee.payments.exists()


def test_posting_twice_posts_nothing_new_and_says_so(tree, treasurer, client):
    fee = _fee(tree.grassroots_a1, JUNE, treasurer, pay=True)
    client.force_login(tree.admin)
    url = f"{URL}{fee.pk}/post/"
    assert _post_json(client, url, {"on": "2025-07-08"}).status_code == 200
    entries = JournalEntry.objects.count()
    for language, words in (("en", "already posted"), ("vi", "đã được ghi sổ")):
        again = _post_json(client, url, {"on": "2025-07-09"}, language)
        assert again.status_code == 400 and again.json()["code"] == "fee_already_posted"
        assert words in again.json()["detail"] and "06/2025" in again.json()["detail"]
    assert JournalEntry.objects.count() == entries


def test_writes_outside_the_callers_books_are_refused(tree, treasurer, officer_at, client):
    fee = _fee(tree.grassroots_a1, JUNE, treasurer)
    record = {"unit": tree.grassroots_a1.pk, "month": "2025-07-01", "payroll": 1_000_000}
    payment = {"amount": 1_000, "paid_on": "2025-07-01"}
    # A sibling union's treasurer does not see the fee (404), nor the union's books (403).
    client.force_login(officer_at(tree.grassroots_a2, scope.FINANCE))
    assert _post_json(client, f"{URL}{fee.pk}/pay/", payment).status_code == 404
    assert _post_json(client, f"{URL}{fee.pk}/post/", {"on": "2025-07-08"}).status_code == 404
    assert _post_json(client, URL, record).status_code == 403
    # The district reads the union's fees but writes only its own books.
    client.force_login(officer_at(tree.district_a, scope.FINANCE))
    assert client.get(f"{URL}{fee.pk}/").status_code == 200
    assert _post_json(client, f"{URL}{fee.pk}/pay/", payment).status_code == 403
    assert _post_json(client, URL, record).status_code == 403
    assert not fee.payments.exists() and EmployerFee.objects.count() == 1
    # Nobody is answered without an account.
    client.logout()
    assert client.get(URL).status_code in (401, 403)


def test_a_fee_cannot_be_changed_or_deleted_through_its_own_address(tree, treasurer, client):
    fee = _fee(tree.grassroots_a1, JUNE, treasurer)
    client.force_login(treasurer)
    url = f"{URL}{fee.pk}/"
    for method in (client.post, client.put, client.patch, client.delete):
        assert method(url, {}, content_type="application/json").status_code == 405
    assert not fee.payments.exists() and EmployerFee.objects.get().payroll == 10_000_000


# The fee page: "Post" for the collector only -----------------------------------------------


def _fees_page(client, unit, language="en"):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(reverse("finance:fees", args=[unit.pk, 2025])).content.decode()


def test_the_district_is_offered_post_for_a_fee_it_collects(tree, treasurer, officer_at, client):
    _fee(tree.grassroots_a1, dt.date(2025, 7, 1), treasurer, pay=True)  # the upper level's
    client.force_login(officer_at(tree.district_a, scope.FINANCE))
    page = _fees_page(client, tree.district_a)
    assert page.count('data-testid="fee-post"') == 1
    assert 'data-testid="fee-collector"' not in page


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "collected by"), ("vi", "do %s thu")],
)
def test_the_district_sees_who_collects_a_fee_the_province_collects(
    tree, treasurer, officer_at, client, language, words
):
    _fee(tree.grassroots_a1, SEPTEMBER, treasurer, pay=True)
    client.force_login(officer_at(tree.district_a, scope.FINANCE))
    page = _fees_page(client, tree.district_a, language)
    assert 'data-testid="fee-post"' not in page
    assert 'data-testid="fee-collector"' in page
    phrase = words % tree.province.name if "%s" in words else words
    assert phrase in page and tree.province.name in page
    # The union's own treasurer is told the same, and offered no button either.
    client.force_login(treasurer)
    page = _fees_page(client, tree.grassroots_a1, language)
    assert 'data-testid="fee-post"' not in page and phrase in page


def test_the_province_is_offered_post_for_a_fee_it_collects_and_posts_it(
    tree, treasurer, officer_at, client
):
    fee = _fee(tree.grassroots_a1, SEPTEMBER, treasurer, pay=True)
    client.force_login(officer_at(tree.province, scope.FINANCE))
    for unit in (tree.province, tree.district_a):  # its own page, or reading down
        assert _fees_page(client, unit).count('data-testid="fee-post"') == 1
    client.post(
        reverse("finance:fee_post", args=[fee.pk]),
        {"on": "2025-10-03", "page_unit": tree.province.pk},
    )
    fee.refresh_from_db()
    assert fee.collector == tree.province and not fee.awaiting_posting
    assert 'data-testid="fee-post"' not in _fees_page(client, tree.province)


def test_a_fee_half_posted_stays_with_its_first_collector(tree, treasurer, officer_at, client):
    """The collector named at the first posting posts the later payments, whatever the page."""
    fee = _fee(tree.grassroots_a1, JUNE, treasurer, payroll=50_000_000)
    services.fee_pay(fee=fee, amount=400_000, paid_on=dt.date(2025, 7, 2), by=treasurer)
    district = officer_at(tree.district_a, scope.FINANCE)
    services.fee_post(fee=fee, on=dt.date(2025, 7, 3), by=district)
    services.fee_pay(fee=fee, amount=600_000, paid_on=dt.date(2025, 9, 2), by=treasurer)
    client.force_login(officer_at(tree.province, scope.FINANCE))
    page = _fees_page(client, tree.province)
    assert 'data-testid="fee-post"' not in page and tree.district_a.name in page
    client.force_login(district)
    assert _fees_page(client, tree.district_a).count('data-testid="fee-post"') == 1


def test_the_collectors_of_a_page_of_fees_read_each_months_tree_once(tree, treasurer, officer_at):
    """Two tree loads (the parents at the month's start and end) per month, not per fee."""
    registrar = officer_at(tree.grassroots_a2, scope.FINANCE)
    fees = [
        _fee(tree.grassroots_a1, SEPTEMBER, treasurer, pay=True),
        _fee(tree.grassroots_a2, SEPTEMBER, registrar, pay=True),
    ]
    fees = list(selectors.employer_fees(user=tree.admin, unit=tree.province, year=2025))
    assert len(fees) == 2
    with CaptureQueriesContext(connection) as queries:
        postings = selectors.fee_postings(user=tree.admin, fees=fees)
    assert {p.collector for p in postings.values()} == {tree.province}
    placements = [q for q in queries.captured_queries if "orgs_placement" in q["sql"]]
    assert len(placements) == 2
