"""Shelter houses: proposed by the grassroots union with contributors paying the whole cost,
decided above it, built and handed over; listed, exported, counted and on the member's page."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from unionhub.core import scope
from unionhub.core.errors import DomainError, OutOfScope
from unionhub.movements import care, selectors
from unionhub.movements.models import ShelterState
from unionhub.privacy.subject import subject_data

COST = 80_000_000
DONORS = [("Công ty May Hà Tĩnh", 50_000_000), ("LĐLĐ tỉnh", 30_000_000)]


@pytest.fixture
def world(tree, officer_at, admit):
    member = admit(unit=tree.grassroots_a1, full_name="Trần Thị Hoa")
    clerk = officer_at(tree.grassroots_a1, scope.CLERK)
    district = officer_at(tree.district_a, scope.UNIT_ADMIN)
    return member, clerk, district


def _propose(member, clerk, **extra):
    return care.shelter_propose(
        member=member, address="Thôn 3, xã Cẩm Xuyên", cost=extra.pop("cost", COST),
        contributions=extra.pop("contributions", DONORS), by=clerk, **extra,
    )  # fmt: skip


def test_a_house_goes_from_proposal_to_handover(world, tree):
    member, clerk, district = world
    today = timezone.localdate()
    house = _propose(member, clerk)
    with pytest.raises(DomainError) as early:  # not built before it is approved
        care.shelter_progress(house=house, on=today, today=today, by=clerk)
    assert early.value.code == "shelter_state"
    with pytest.raises(DomainError):  # the union does not approve its own proposal
        care.shelter_decide(house=house, deciding_unit=tree.grassroots_a1, approve=True,
                            on=today, by=clerk)  # fmt: skip
    decided = care.shelter_decide(
        house=house, deciding_unit=tree.district_a, approve=True, on=today, by=district
    )
    assert (decided.state, decided.decided_by) == (ShelterState.APPROVED, district)
    with pytest.raises(DomainError) as future:
        care.shelter_progress(house=house, on=today + dt.timedelta(days=1), today=today, by=clerk)
    assert future.value.code == "shelter_date"
    built = care.shelter_progress(house=house, on=today, today=today, by=clerk)
    assert built.state == ShelterState.BUILT
    done = care.shelter_progress(house=house, on=today, today=today, by=clerk)
    assert (done.state, done.handed_over_on) == (ShelterState.HANDED_OVER, today)
    with pytest.raises(DomainError):
        care.shelter_progress(house=house, on=today, today=today, by=clerk)
    rows = selectors.statistics(user=district, unit=tree.district_a, first=today, last=today)
    assert (rows[-1].shelters, rows[-1].shelter_cost) == (1, COST)
    # The member's subject export holds the house.
    (record,) = subject_data(member)["records"]["movements.ShelterHouse"]
    assert record["cost"] == COST and record["state"] == "Đã bàn giao"


def test_contributions_must_add_up_to_the_cost(world):
    member, clerk, _district = world
    with pytest.raises(DomainError) as short:
        _propose(member, clerk, contributions=[("Công ty May Hà Tĩnh", 50_000_000)])
    assert short.value.code == "contributions_sum"
    assert "50.000.000 ₫" in str(short.value.message)
    assert "80.000.000 ₫" in str(short.value.message)
    with pytest.raises(DomainError) as nameless:
        _propose(member, clerk, contributions=[("", COST)])
    assert nameless.value.code == "contributions"


def test_strangers_cannot_propose_or_decide(world, tree, officer_at):
    member, clerk, _district = world
    with pytest.raises(OutOfScope):
        _propose(member, officer_at(tree.grassroots_a2, scope.CLERK))
    house = _propose(member, clerk)
    with pytest.raises(DomainError) as refused:  # the other district is not above the union
        care.shelter_decide(
            house=house, deciding_unit=tree.district_b, approve=True,
            on=timezone.localdate(), by=officer_at(tree.district_b, scope.UNIT_ADMIN),
        )  # fmt: skip
    assert refused.value.code == "deciding_unit"
    assert not selectors.shelter_list(user=officer_at(tree.district_b, scope.UNIT_ADMIN)).exists()


def test_pages_propose_decide_list_export_and_member_panel(world, tree):
    member, clerk, district = world
    union = Client()
    union.force_login(clerk)
    page = union.post(reverse("movements:shelter_propose"), {
        "member_id_number": member.id_number, "address": "Thôn 3", "cost": "80000000",
        "contributions": "Công ty May Hà Tĩnh; 50000000\nLĐLĐ tỉnh; 20.000.000",
    })  # fmt: skip
    assert "70.000.000 ₫" in page.content.decode()  # the sum's message, on the form
    response = union.post(reverse("movements:shelter_propose"), {
        "member_id_number": member.id_number, "address": "Thôn 3", "cost": "80000000",
        "contributions": "Công ty May Hà Tĩnh; 50000000\nLĐLĐ tỉnh; 30.000.000",
    })  # fmt: skip
    assert response.status_code == 302
    house = selectors.shelter_list(user=clerk).get()
    above = Client()
    above.force_login(district)
    today = timezone.localdate().isoformat()
    above.post(reverse("movements:shelter", args=[house.pk]),
               {"unit": tree.district_a.pk, "on": today, "decision": "approve"})  # fmt: skip
    house.refresh_from_db()
    assert house.state == ShelterState.APPROVED
    listing = above.get(reverse("movements:shelter_list"), {"state": "approved"}).content.decode()
    assert "Trần Thị Hoa" in listing and "80.000.000 ₫" in listing
    export = above.get(reverse("movements:shelter_list"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    row = next(sheet.iter_rows(min_row=2, values_only=True))
    assert row[0] == "Trần Thị Hoa" and row[3] == COST and "LĐLĐ tỉnh: 30000000" in row[4]
    profile = above.get(reverse("members:detail", args=[member.pk])).content.decode()
    assert 'data-testid="shelter-panel"' in profile
