"""The employer's union fee (KPCĐ): 2 % of the social-insurance payroll under the dated rule,
reduced, waived or suspended (at most 12 months, then paid back), paid in part or in full."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from unionhub.audit.models import AuditEvent
from unionhub.core import scope
from unionhub.core.errors import DomainError, OutOfScope
from unionhub.finance import selectors, services
from unionhub.finance.actions import Action
from unionhub.finance.models import (
    Account,
    EmployerFee,
    FeeCollector,
    FeeStatus,
    JournalEntry,
    Posting,
    Rule,
    RuleKind,
)
from unionhub.finance.rules import fee_terms_for

pytestmark = pytest.mark.django_db
JUNE = dt.date(2025, 6, 1)


@pytest.fixture
def treasurer(tree, officer_at):
    return officer_at(tree.grassroots_a1, scope.FINANCE)


def test_the_fee_is_two_percent_of_the_payroll_and_paid_in_parts(tree, treasurer):
    fee = services.fee_record(
        unit=tree.grassroots_a1, month=JUNE, payroll=123_456_789, by=treasurer
    )
    assert (fee.rate, fee.due, fee.status) == (Decimal("0.02"), 2_469_136, FeeStatus.DUE)
    services.fee_pay(fee=fee, amount=1_000_000, paid_on=dt.date(2025, 7, 3), by=treasurer)
    fee = services.fee_pay(fee=fee, amount=1_469_136, paid_on=dt.date(2025, 7, 5), by=treasurer)
    assert (fee.paid, fee.status, fee.outstanding) == (2_469_136, FeeStatus.PAID, 0)
    with pytest.raises(DomainError) as too_much:
        services.fee_pay(fee=fee, amount=1, paid_on=dt.date(2025, 7, 6), by=treasurer)
    assert too_much.value.code == "fee_payment_invalid"
    with pytest.raises(DomainError) as changed:
        services.fee_record(unit=tree.grassroots_a1, month=JUNE, payroll=1, by=treasurer)
    assert changed.value.code == "fee_already_paid"
    totals = selectors.employer_fee_totals(EmployerFee.objects.all())
    assert totals.grassroots_share == 1_851_852  # 75 % of 2,469,136, rounded half up
    assert AuditEvent.objects.filter(action__startswith="finance.fee.").count() == 3


def test_reduced_waived_and_bad_input(tree, treasurer):
    reduced = services.fee_record(
        unit=tree.grassroots_a1,
        month=JUNE,
        payroll=10_000_000,
        status=FeeStatus.REDUCED,
        rate=Decimal("0.01"),
        note="Quyết định giảm mức đóng",
        by=treasurer,
    )
    assert reduced.due == 100_000
    for rate in (None, Decimal("0"), Decimal("0.02"), Decimal("0.05")):
        with pytest.raises(DomainError) as refused:
            services.fee_record(
                unit=tree.grassroots_a1,
                month=dt.date(2025, 7, 1),
                payroll=10_000_000,
                status=FeeStatus.REDUCED,
                rate=rate,
                by=treasurer,
            )
        assert refused.value.field == "rate"
    waived = services.fee_record(
        unit=tree.grassroots_a1,
        month=dt.date(2025, 8, 1),
        payroll=10_000_000,
        status=FeeStatus.WAIVED,
        by=treasurer,
    )
    assert (waived.due, waived.outstanding) == (0, 0)
    with pytest.raises(DomainError):
        services.fee_pay(fee=waived, amount=1, paid_on=JUNE, by=treasurer)
    with pytest.raises(DomainError) as negative:
        services.fee_record(unit=tree.grassroots_a1, month=JUNE, payroll=-5, by=treasurer)
    assert negative.value.field == "payroll"
    assert EmployerFee.objects.count() == 2


def test_a_suspension_lasts_at_most_twelve_months_and_is_paid_back(tree, treasurer):
    months = [dt.date(2024 + (5 + n) // 12, (5 + n) % 12 + 1, 1) for n in range(13)]
    fees = [
        services.fee_record(
            unit=tree.grassroots_a1,
            month=m,
            payroll=1_000_000,
            status=FeeStatus.SUSPENDED,
            by=treasurer,
        )
        for m in months[:12]
    ]
    with pytest.raises(DomainError) as thirteenth:
        services.fee_record(
            unit=tree.grassroots_a1,
            month=months[12],
            payroll=1_000_000,
            status=FeeStatus.SUSPENDED,
            by=treasurer,
        )
    assert thirteenth.value.code == "fee_suspension_too_long"
    back = services.fee_pay(fee=fees[0], amount=20_000, paid_on=dt.date(2025, 7, 1), by=treasurer)
    assert (back.status, back.back_paid) == (FeeStatus.PAID, True)


def test_only_the_units_own_books_are_written_and_upper_levels_read_down(
    tree, treasurer, officer_at
):
    sibling = officer_at(tree.grassroots_a2, scope.FINANCE)
    district = officer_at(tree.district_a, scope.FINANCE)
    with pytest.raises(OutOfScope):
        services.fee_record(unit=tree.grassroots_a1, month=JUNE, payroll=1, by=sibling)
    with pytest.raises(OutOfScope):
        services.fee_record(unit=tree.grassroots_a1, month=JUNE, payroll=1, by=district)
    fee = services.fee_record(unit=tree.grassroots_a1, month=JUNE, payroll=5_000_000, by=treasurer)
    assert list(selectors.employer_fees(user=district, unit=tree.district_a, year=2025)) == [fee]
    with pytest.raises(OutOfScope):
        selectors.employer_fees(user=sibling, unit=tree.grassroots_a1, year=2025)
    with pytest.raises(OutOfScope):
        selectors.employer_fee_get(user=sibling, pk=fee.pk)


@settings(max_examples=60, deadline=None)
@given(payroll=st.integers(min_value=0, max_value=10**13))
def test_due_and_share_are_whole_dong_rounded_half_up(payroll):
    terms = fee_terms_for(JUNE)
    due = terms.due(payroll)
    assert due == (payroll * 2 + 50) // 100
    assert terms.grassroots_share(due) == (due * 3 + 2) // 4


def test_the_page_records_pays_filters_and_exports(client, tree, treasurer, officer_at):
    client.force_login(treasurer)
    url = reverse("finance:fees", args=[tree.grassroots_a1.pk, 2025])
    response = client.post(
        url, {"month": "2025-06", "payroll": "50000000", "status": "due", "note": ""}
    )
    assert response.status_code == 302
    fee = EmployerFee.objects.get()
    assert fee.due == 1_000_000
    client.post(
        reverse("finance:fee_pay", args=[fee.pk]), {"amount": "1000000", "paid_on": "2025-07-02"}
    )
    fee.refresh_from_db()
    assert fee.status == FeeStatus.PAID
    page = client.get(url).content.decode()
    assert "1.000.000 ₫" in page and 'data-testid="fee-row"' in page
    assert 'data-testid="fee-row"' not in client.get(url, {"status": "due"}).content.decode()
    export = client.get(url, {"export": "xlsx"})
    book = load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert any("06/2025" in row and 1_000_000 in row for row in rows)
    response = client.post(url, {"month": "2025-07", "payroll": "-3", "status": "due"})
    assert response.status_code == 200 and EmployerFee.objects.count() == 1

    client.force_login(officer_at(tree.grassroots_a2, scope.FINANCE))
    assert client.get(url).status_code in (403, 404)
    client.post(reverse("finance:fee_pay", args=[fee.pk]), {"amount": "1", "paid_on": "2025-07-02"})
    fee.refresh_from_db()
    assert fee.paid == 1_000_000


def test_the_cash_book_offers_the_record_form(client, tree, treasurer):
    client.force_login(treasurer)
    page = client.get(reverse("finance:cash_book", args=[tree.grassroots_a1.pk, 2025]))
    body = page.content.decode()
    assert 'name="amount"' in body and 'name="description"' in body
    assert "<section" not in body.split("<title>")[1].split("</title>")[0]


# Posting to the books ---------------------------------------------------------------------


def _paid_fee(tree, treasurer, payroll=123_456_789):
    fee = services.fee_record(unit=tree.grassroots_a1, month=JUNE, payroll=payroll, by=treasurer)
    return services.fee_pay(fee=fee, amount=fee.due, paid_on=dt.date(2025, 7, 3), by=treasurer)


def _postings(entry):
    return sorted(
        (p.account, p.amount, p.counterpart_id) for p in entry.postings.all()
    )  # fmt: skip


def test_a_paid_fee_posts_balanced_entries_on_both_sides_that_agree(tree, treasurer, officer_at):
    fee = _paid_fee(tree, treasurer)  # 2 % of the payroll: 2,469,136
    district = officer_at(tree.district_a, scope.FINANCE)
    [payment] = services.fee_post(fee=fee, on=dt.date(2025, 7, 8), by=district)
    fee.refresh_from_db()
    share = 1_851_852  # 75 % of 2,469,136, rounded half up
    assert (fee.collector, fee.share, fee.posted) == (tree.district_a, share, 2_469_136)
    assert (payment.collector, payment.share) == (tree.district_a, share)
    assert payment.entry.unit == tree.district_a and payment.entry.status == "posted"
    assert _postings(payment.entry) == sorted(
        [
            (Account.BANK, 2_469_136, None),
            (Account.FEE_REVENUE, -(2_469_136 - share), None),
            (Account.BANK, -share, tree.grassroots_a1.pk),
        ]
    )
    assert payment.grassroots_entry.unit == tree.grassroots_a1
    assert _postings(payment.grassroots_entry) == sorted(
        [(Account.BANK, share, tree.district_a.pk), (Account.FEE_REVENUE, -share, None)]
    )
    # Each entry balances, and what the upper level passed down is what the union received.
    for entry in (payment.entry, payment.grassroots_entry):
        assert sum(p.amount for p in entry.postings.all()) == 0
    passed_down = Posting.objects.get(
        entry__unit=tree.district_a, account=Account.BANK, counterpart=tree.grassroots_a1
    )
    received = Posting.objects.get(
        entry__unit=tree.grassroots_a1, account=Account.BANK, counterpart=tree.district_a
    )
    assert -passed_down.amount == received.amount == share
    books = selectors.trial_balance(user=tree.admin, unit=tree.district_a)
    assert books == {Account.BANK: 2_469_136, Account.FEE_REVENUE: -2_469_136}
    assert selectors.trial_balance(user=tree.admin, unit=tree.grassroots_a1) == {
        Account.BANK: share,
        Account.FEE_REVENUE: -share,
    }
    assert AuditEvent.objects.filter(action=Action.FEE_POSTED, target_id=str(fee.pk)).exists()


def test_a_fee_posted_twice_posts_nothing_new_and_says_so(tree, treasurer):
    fee = _paid_fee(tree, treasurer)
    services.fee_post(fee=fee, on=dt.date(2025, 7, 8), by=tree.admin)
    entries = JournalEntry.objects.count()
    with translation.override("en"), pytest.raises(DomainError) as twice:
        services.fee_post(fee=fee, on=dt.date(2025, 7, 9), by=tree.admin)
    assert twice.value.code == "fee_already_posted"
    assert "06/2025" in str(twice.value.message) and "already posted" in str(twice.value.message)
    assert "nothing new to post" in str(twice.value.message)
    with translation.override("vi"), pytest.raises(DomainError) as again:
        services.fee_post(fee=fee, on=dt.date(2025, 7, 9), by=tree.admin)
    assert "06/2025" in str(again.value.message) and "đã được ghi sổ" in str(again.value.message)
    assert JournalEntry.objects.count() == entries


def test_nothing_paid_is_nothing_to_post_and_only_the_collector_posts(tree, treasurer, officer_at):
    fee = services.fee_record(unit=tree.grassroots_a1, month=JUNE, payroll=10_000_000, by=treasurer)
    for language, words in (("en", "No payment"), ("vi", "Chưa có khoản nộp")):
        with translation.override(language), pytest.raises(DomainError) as unpaid:
            services.fee_post(fee=fee, on=dt.date(2025, 7, 8), by=tree.admin)
        assert unpaid.value.code == "fee_not_paid" and words in str(unpaid.value.message)
    services.fee_pay(fee=fee, amount=100_000, paid_on=dt.date(2025, 7, 3), by=treasurer)
    # The grassroots treasurer and another district's officer do not write the collector's
    # books; the treasurer is told who does.
    with translation.override("en"), pytest.raises(OutOfScope) as own:
        services.fee_post(fee=fee, on=dt.date(2025, 7, 8), by=treasurer)
    assert f"posted by {tree.district_a.name}" in str(own.value.message)
    with pytest.raises(OutOfScope):
        services.fee_post(
            fee=fee, on=dt.date(2025, 7, 8), by=officer_at(tree.district_b, scope.FINANCE)
        )
    assert not JournalEntry.objects.exists()
    fee.refresh_from_db()
    assert (fee.posted, fee.share, fee.collector) == (0, None, None)


def test_the_collector_posts_from_the_fee_page(client, tree, treasurer, officer_at):
    fee = _paid_fee(tree, treasurer, payroll=50_000_000)  # 1,000,000 due
    client.force_login(officer_at(tree.district_a, scope.FINANCE))
    page = client.get(reverse("finance:fees", args=[tree.district_a.pk, 2025])).content.decode()
    assert 'data-testid="fee-post"' in page
    client.post(reverse("finance:fee_post", args=[fee.pk]), {"on": "2025-07-08"})
    fee.refresh_from_db()
    assert fee.share == 750_000 and fee.payments.get().entry.date == dt.date(2025, 7, 8)
    page = client.get(reverse("finance:fees", args=[tree.district_a.pk, 2025])).content.decode()
    assert 'data-testid="fee-post"' not in page and "750.000 ₫" in page


# Who collects the fee: a dated rule --------------------------------------------------------


def _fee_of(tree, treasurer, month, payroll=10_000_000):
    fee = services.fee_record(unit=tree.grassroots_a1, month=month, payroll=payroll, by=treasurer)
    return services.fee_pay(fee=fee, amount=fee.due, paid_on=month, by=treasurer)


def _received_from(unit, collector):
    return sum(
        Posting.objects.filter(
            entry__unit=unit, account=Account.BANK, counterpart=collector
        ).values_list("amount", flat=True)
    )


def test_the_collector_switches_to_the_province_on_29_august_2025(tree, treasurer, officer_at):
    july = _fee_of(tree, treasurer, dt.date(2025, 7, 1))  # 200,000 due, share 150,000
    september = _fee_of(tree, treasurer, dt.date(2025, 9, 1))
    district = officer_at(tree.district_a, scope.FINANCE)
    province = officer_at(tree.province, scope.FINANCE)
    # July is the month before the rule, posted after it came into force: the month decides.
    [july_paid] = services.fee_post(fee=july, on=dt.date(2025, 9, 10), by=district)
    # The district no longer writes the September fee: the province collects it.
    with pytest.raises(OutOfScope):
        services.fee_post(fee=september, on=dt.date(2025, 10, 3), by=district)
    [september_paid] = services.fee_post(fee=september, on=dt.date(2025, 10, 3), by=province)
    july.refresh_from_db()
    september.refresh_from_db()
    assert (july.collector, july_paid.entry.unit) == (tree.district_a, tree.district_a)
    assert (september.collector, september_paid.entry.unit) == (tree.province, tree.province)
    for payment in (july_paid, september_paid):
        assert payment.grassroots_entry.unit == tree.grassroots_a1
    # The union received each share from the level that collected it, and the two books agree.
    assert _received_from(tree.grassroots_a1, tree.district_a) == 150_000 == july.share
    assert _received_from(tree.grassroots_a1, tree.province) == 150_000 == september.share
    assert -_received_from(tree.district_a, tree.grassroots_a1) == 150_000
    assert -_received_from(tree.province, tree.grassroots_a1) == 150_000
    for collector in (tree.district_a, tree.province):  # each keeps its quarter, balanced
        own = Posting.objects.filter(entry__unit=collector)
        assert sum(own.filter(account=Account.FEE_REVENUE).values_list("amount", flat=True)) == (
            -50_000
        )
        assert sum(own.values_list("amount", flat=True)) == 0


def test_a_collector_rule_added_later_changes_nothing_before_it(tree, treasurer):
    Rule.objects.create(
        kind=RuleKind.FEE_COLLECTOR,
        effective_from=dt.date(2026, 1, 1),
        collector=FeeCollector.UPPER_LEVEL,
        basis="Quyết định giả định",
    )
    assert fee_terms_for(dt.date(2025, 7, 1)).collector == FeeCollector.UPPER_LEVEL
    assert fee_terms_for(dt.date(2025, 12, 1)).collector == FeeCollector.PROVINCE
    assert fee_terms_for(dt.date(2026, 1, 1)).collector == FeeCollector.UPPER_LEVEL
    december = _fee_of(tree, treasurer, dt.date(2025, 12, 1))
    january = _fee_of(tree, treasurer, dt.date(2026, 1, 1))
    [december_paid] = services.fee_post(fee=december, on=dt.date(2026, 1, 5), by=tree.admin)
    [january_paid] = services.fee_post(fee=january, on=dt.date(2026, 2, 5), by=tree.admin)
    assert (december_paid.collector, january_paid.collector) == (tree.province, tree.district_a)


def test_a_collector_rule_names_a_level_and_nothing_else(db):
    bad = [
        {"collector": ""},
        {"collector": "province", "rate": Decimal("1")},
        {"collector": "somewhere"},
    ]
    for values in bad:
        with pytest.raises(IntegrityError), transaction.atomic():
            Rule.objects.create(
                kind=RuleKind.FEE_COLLECTOR, effective_from=dt.date(2030, 1, 1), **values
            )
    with pytest.raises(IntegrityError), transaction.atomic():
        Rule.objects.create(
            kind=RuleKind.FEE_RATE,
            effective_from=dt.date(2030, 1, 1),
            rate=Decimal("0.02"),
            collector="province",
        )


# Payments posted one by one ---------------------------------------------------------------


def test_two_partial_payments_posted_apart_pass_down_the_share_of_their_total(
    tree, treasurer, officer_at
):
    fee = services.fee_record(unit=tree.grassroots_a1, month=JUNE, payroll=150, by=treasurer)
    # 2 % of 150 đồng is 3, of which 75 % is 2.25: 2 đồng passed down in all, where the share
    # of each payment alone (1 đồng: 0.75, 2 đồng: 1.5) would round up to 1 + 2 = 3.
    district = officer_at(tree.district_a, scope.FINANCE)
    services.fee_pay(fee=fee, amount=1, paid_on=dt.date(2025, 7, 3), by=treasurer)
    [first] = services.fee_post(fee=fee, on=dt.date(2025, 7, 4), by=district)
    fee.refresh_from_db()
    assert (first.share, fee.posted, fee.share, fee.awaiting_posting) == (1, 1, 1, False)
    services.fee_pay(fee=fee, amount=2, paid_on=dt.date(2025, 7, 20), by=treasurer)
    fee.refresh_from_db()
    assert fee.awaiting_posting and fee.status == FeeStatus.PAID
    [second] = services.fee_post(fee=fee, on=dt.date(2025, 7, 21), by=district)
    fee.refresh_from_db()
    assert second.share == 1 and first.share + second.share == fee.share == 2
    assert (fee.paid, fee.posted) == (3, 3)
    assert _received_from(tree.grassroots_a1, tree.district_a) == 2
    assert -_received_from(tree.district_a, tree.grassroots_a1) == 2
    assert first.entry_id != second.entry_id
    assert "20/07/2025" in second.entry.description
    entries = JournalEntry.objects.count()
    with pytest.raises(DomainError) as again:
        services.fee_post(fee=fee, on=dt.date(2025, 7, 22), by=district)
    assert again.value.code == "fee_already_posted" and JournalEntry.objects.count() == entries
    with pytest.raises(DomainError) as too_much:
        services.fee_pay(fee=fee, amount=1, paid_on=dt.date(2025, 7, 23), by=treasurer)
    assert too_much.value.code == "fee_payment_invalid"
    assert fee.payments.count() == 2


def test_a_payment_beyond_what_is_outstanding_is_refused_in_both_languages(tree, treasurer):
    fee = services.fee_record(unit=tree.grassroots_a1, month=JUNE, payroll=5_000_000, by=treasurer)
    for language, words in (("en", "still due"), ("vi", "còn phải đóng")):
        with translation.override(language), pytest.raises(DomainError) as refused:
            services.fee_pay(fee=fee, amount=100_001, paid_on=dt.date(2025, 7, 1), by=treasurer)
        assert refused.value.field == "amount" and words in str(refused.value.message)
    assert not fee.payments.exists()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    due=st.integers(min_value=1, max_value=10**9),
    cuts=st.lists(st.floats(min_value=0, max_value=1), max_size=6),
    post_after=st.lists(st.booleans(), min_size=7, max_size=7),
)
def test_the_shares_of_any_split_add_up_to_the_share_of_the_total(tree, due, cuts, post_after):
    """Whatever the payments and whenever they are posted, the shares passed down add up to
    the share of what was paid, to the đồng (one fee per example, rolled back after it)."""
    with transaction.atomic():
        fee = services.fee_record(
            unit=tree.grassroots_a1, month=JUNE, payroll=50 * due, by=tree.admin
        )
        assert fee.due == due
        points = sorted({0, due, *(round(c * due) for c in cuts)})
        amounts = [b - a for a, b in itertools.pairwise(points)]
        for amount, post in zip(amounts, post_after, strict=False):
            services.fee_pay(fee=fee, amount=amount, paid_on=dt.date(2025, 7, 1), by=tree.admin)
            if post:
                services.fee_post(fee=fee, on=dt.date(2025, 7, 2), by=tree.admin)
        fee.refresh_from_db()
        if fee.awaiting_posting:
            services.fee_post(fee=fee, on=dt.date(2025, 7, 3), by=tree.admin)
            fee.refresh_from_db()
        shares = list(fee.payments.values_list("share", flat=True))
        assert len(shares) == len(amounts)
        assert sum(shares) == fee.share == fee_terms_for(JUNE).grassroots_share(due)
        assert fee.paid == fee.posted == due == sum(fee.payments.values_list("amount", flat=True))
        assert _received_from(tree.grassroots_a1, tree.district_a) == fee.share
        transaction.set_rollback(True)
