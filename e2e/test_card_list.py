"""Bulk card actions act only on what the officer chose: ticked cards, or an explicit "all N"."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.factories import make_user
from unionhub.cards import services
from unionhub.cards.models import Card, CardState
from unionhub.core import scope
from unionhub.members import services as member_services
from unionhub.orgs import services as org_services

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def requested(tree):
    """Three cards waiting for approval at a grassroots union, and the district's registrar."""
    clerk = make_user("thuky")
    org_services.role_grant(
        user=clerk, unit=tree.grassroots_a1, role=scope.REGISTRAR, by=tree.admin
    )
    approver = make_user("duyet")
    org_services.role_grant(
        user=approver, unit=tree.district_a, role=scope.REGISTRAR, by=tree.admin
    )
    services.card_series_set(unit=tree.province, code="042", by=tree.admin)
    for n in range(3):
        member = member_services.member_admit(
            unit=tree.grassroots_a1,
            by=tree.admin,
            joined=dt.date(2020, 3, 1),
            full_name=f"Nguyễn Văn Thẻ {n}",
            gender="male",
            birth_date=dt.date(1990, 1, 1 + n),
        )
        services.card_request(member=member, by=clerk)


def states():
    return sorted(Card.objects.values_list("state", flat=True))


def test_a_bulk_card_action_with_nothing_ticked_does_nothing(login, live_server, requested):
    page = login("duyet", "pw-duyet")
    page.goto(f"{live_server.url}/cards/")
    expect(page.get_by_test_id("card-list").locator("tbody tr")).to_have_count(3)

    page.get_by_role("button", name="Duyệt", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Chưa làm gì")
    assert states() == [CardState.REQUESTED] * 3

    page.get_by_test_id("card-list").get_by_role("checkbox").first.check()
    page.get_by_role("button", name="Duyệt", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("1")
    assert states() == [CardState.APPROVED] + [CardState.REQUESTED] * 2

    page.get_by_test_id("all-matching").check()
    page.get_by_role("button", name="Duyệt", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("2")
    assert states() == [CardState.APPROVED] * 3


def test_a_registrar_who_may_not_approve_sees_no_approve_button(login, live_server, requested):
    page = login("thuky", "pw-thuky")
    page.goto(f"{live_server.url}/cards/")
    expect(page.get_by_test_id("card-list").locator("tbody tr")).to_have_count(3)
    expect(page.get_by_role("button", name="Duyệt", exact=True)).to_have_count(0)
