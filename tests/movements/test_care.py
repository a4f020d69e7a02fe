"""Support for members: proposed by the grassroots union, decided above it, booked in finance."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from unionhub.core import scope
from unionhub.core.errors import DomainError, OutOfScope
from unionhub.finance.models import Posting
from unionhub.movements import care, selectors
from unionhub.movements.models import SupportRecord, SupportState

DAY = dt.date(2026, 11, 20)


@pytest.fixture
def world(tree, officer_at, admit):
    member = admit(unit=tree.grassroots_a1, full_name="Phạm Văn Bình")
    clerk = officer_at(tree.grassroots_a1, scope.CLERK)
    district = officer_at(tree.district_a, scope.UNIT_ADMIN)
    return member, clerk, district


def test_the_union_proposes_and_the_district_approves_posting_to_its_books(world, tree):
    member, clerk, district = world
    record = care.support_propose(
        member=member, kind="sickness", date=DAY, fund="union_finance", amount=2_000_000, by=clerk
    )
    with pytest.raises(DomainError):  # the grassroots union does not approve its own proposal
        care.support_approve(record=record, deciding_unit=tree.grassroots_a1, paid_on=DAY,
                             by=clerk)  # fmt: skip
    approved = care.support_approve(
        record=record, deciding_unit=tree.district_a, paid_on=DAY, by=district
    )
    assert approved.state == SupportState.APPROVED
    postings = Posting.objects.filter(entry=approved.ledger_entry)
    assert sorted((p.account, p.amount, p.member_id) for p in postings) == [
        ("111", -2_000_000, None),
        ("6111", 2_000_000, member.pk),
    ]
    assert approved.ledger_entry.unit == tree.district_a
    with pytest.raises(DomainError):
        care.support_reject(record=record, deciding_unit=tree.district_a, by=district)


def test_goods_and_other_funds_are_recorded_without_booking(world, tree):
    member, clerk, district = world
    record = care.support_propose(
        member=member, kind="tet", date=DAY, fund="sponsors", goods="Quà Tết", by=clerk
    )
    approved = care.support_approve(
        record=record, deciding_unit=tree.district_a, paid_on=DAY, by=district
    )
    assert approved.ledger_entry is None


def test_bad_proposals_and_strangers_are_refused(world, tree, officer_at):
    member, clerk, _district = world
    with pytest.raises(DomainError):
        care.support_propose(member=member, kind="sickness", date=DAY, fund="social_fund",
                             by=clerk)  # fmt: skip
    with pytest.raises(OutOfScope):
        care.support_propose(
            member=member, kind="sickness", date=DAY, fund="social_fund", amount=1,
            by=officer_at(tree.grassroots_a2, scope.CLERK),
        )  # fmt: skip
    record = care.support_propose(
        member=member, kind="accident", date=DAY, fund="social_fund", amount=500_000, by=clerk
    )
    with pytest.raises(DomainError) as refused:  # the other district is not above this union
        care.support_reject(
            record=record, deciding_unit=tree.district_b,
            by=officer_at(tree.district_b, scope.UNIT_ADMIN),
        )  # fmt: skip
    assert refused.value.code == "deciding_unit"
    with pytest.raises(OutOfScope):  # above it, but a viewer only
        care.support_reject(
            record=record, deciding_unit=tree.district_a,
            by=officer_at(tree.district_a, scope.VIEWER),
        )  # fmt: skip
    assert SupportRecord.objects.get().state == SupportState.PROPOSED


def test_pages_list_export_and_decide(world, tree, officer_at):
    member, clerk, district = world
    client = Client()
    client.force_login(clerk)
    response = client.post(
        reverse("movements:support_propose"),
        {"member_id_number": member.id_number, "kind": "hardship", "date": "2026-11-20",
         "fund": "union_finance", "amount": "1500000"},
    )  # fmt: skip
    assert response.status_code == 302
    record = SupportRecord.objects.get()
    sibling = Client()
    sibling.force_login(officer_at(tree.grassroots_a2, scope.UNIT_ADMIN))
    assert sibling.get(reverse("movements:support", args=[record.pk])).status_code == 404
    assert member.full_name not in sibling.get(reverse("movements:support_list")).content.decode()
    upper = Client()
    upper.force_login(district)
    response = upper.post(
        reverse("movements:support", args=[record.pk]),
        {"unit": tree.district_a.pk, "paid_on": "2026-11-21", "via": "112",
         "decision": "approve"},
    )  # fmt: skip
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.state == SupportState.APPROVED and record.ledger_entry.date == dt.date(
        2026, 11, 21
    )
    assert selectors.support_list(user=district, state=SupportState.APPROVED).count() == 1
    export = upper.get(reverse("movements:support_list"), {"export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
