"""Elections in the browser: delegates vote on their phones from the card's page, the presidium
closes and releases the round, and the phones then show the elected."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.congress.helpers import build_setup
from tests.elections.helpers import make_election, open_round
from unionhub.congress import services as congress_services
from unionhub.congress.pdf import card_url
from unionhub.display import services as display_services
from unionhub.elections import services as election_services
from unionhub.elections.models import ElectronicBallot, VoteCast

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def setup(tree, officer_at, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    setup = build_setup(tree, officer_at)
    for delegate in setup.elected[:4]:
        congress_services.checkin_manual(
            session=setup.opening, delegate=delegate, by=setup.organiser
        )
    return setup


def test_delegates_vote_on_phones_and_see_the_elected_after_release(page, live_server, setup):
    round = open_round(setup, make_election(setup, seats=1), "electronic")
    page.set_viewport_size(PHONE)
    choices = ["Nguyễn Thị Hoa", "Nguyễn Thị Hoa", "Nguyễn Thị Hoa", "Trần Văn Khánh"]
    for delegate, name in zip(setup.elected[:4], choices, strict=True):
        page.goto(card_url(live_server.url, delegate))
        page.get_by_role("link", name="Bỏ phiếu và kết quả").click()
        expect(page.get_by_test_id("results")).to_contain_text("Chưa có kết quả")
        page.get_by_label(name).check()
        page.get_by_test_id("vote").click()
        expect(page.get_by_test_id("receipt")).to_be_visible()
        expect(page.get_by_test_id("open-rounds")).to_contain_text("Bạn đã bỏ phiếu")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert VoteCast.objects.filter(round=round).count() == 4
    assert ElectronicBallot.objects.filter(round=round).count() == 4

    phone_url = card_url(live_server.url, setup.elected[3]) + "/votes"
    presidium = page.context.new_page()  # the presidium's laptop, beside the phones
    presidium.goto(f"{live_server.url}/accounts/login/")
    presidium.fill("input[name=username]", setup.organiser.username)
    presidium.fill("input[name=password]", f"pw-{setup.organiser.username}")
    presidium.click("button[type=submit]")
    presidium.wait_for_url(lambda url: "/accounts/login/" not in url)
    presidium.goto(f"{live_server.url}/elections/rounds/{round.pk}/")
    expect(presidium.get_by_test_id("turnout")).to_have_text("4")
    presidium.get_by_role("button", name="Kết thúc bỏ phiếu").click()
    page.goto(phone_url)
    expect(page.get_by_test_id("results")).to_contain_text("Chưa có kết quả")
    presidium.get_by_test_id("release").click()
    expect(presidium.get_by_test_id("round-state")).to_have_text("Đã công bố kết quả")
    expect(presidium.get_by_test_id("results")).to_contain_text("Nguyễn Thị Hoa")

    page.reload()
    expect(page.get_by_test_id("results")).to_contain_text("Nguyễn Thị Hoa")
    expect(page.get_by_test_id("results").locator(".ok")).to_have_text("Nguyễn Thị Hoa")


def test_twenty_delegates_vote_while_the_led_shows_turnout_then_the_elected(
    page, live_server, setup
):
    """The hall's LED wall follows the round: the turnout rises with each phone's ballot, the
    names stay hidden while counting, and the elected appear when the presidium releases."""
    extra = [
        congress_services.delegate_add(
            congress=setup.congress,
            category="elected",
            full_name=f"Đại biểu số {n}",
            delegation="Đoàn cơ sở",
            by=setup.organiser,
        )
        for n in range(16)
    ]
    voters = [*setup.elected[:4], *extra]
    for delegate in extra:
        congress_services.checkin_manual(
            session=setup.opening, delegate=delegate, by=setup.organiser
        )
    round = open_round(setup, make_election(setup, seats=1), "electronic")
    assert round.eligible == 20
    screen, token = display_services.screen_create(
        unit=setup.congress.unit, name="LED hội trường", by=setup.organiser
    )
    display_services.slide_add(
        screen=screen,
        kind="elections.election",
        params={"election": round.election_id},
        by=setup.organiser,
    )
    wall = page.context.new_page()
    wall.set_viewport_size({"width": 1920, "height": 1080})
    wall.goto(live_server.url + reverse("display_kiosk", kwargs={"token": token}))
    expect(wall.get_by_test_id("turnout")).to_have_text("0")

    page.set_viewport_size(PHONE)
    for number, delegate in enumerate(voters, start=1):
        page.goto(card_url(live_server.url, delegate) + "/votes")
        page.get_by_label("Lê Thị Lan" if number % 4 else "Phạm Văn Minh").check()
        page.get_by_test_id("vote").click()
        expect(page.get_by_test_id("receipt")).to_be_visible()
        if number in (1, 10, 20):  # the wall polls every 2 s while a live slide is on
            expect(wall.get_by_test_id("turnout")).to_have_text(str(number), timeout=10_000)
    assert VoteCast.objects.filter(round=round).count() == 20

    election_services.round_close(round=round, by=setup.organiser)
    expect(wall.locator("[data-phase=counting]")).to_be_visible(timeout=10_000)
    expect(wall.locator("body")).not_to_contain_text("Lê Thị Lan")
    election_services.round_release(round=round, by=setup.organiser)
    expect(wall.get_by_test_id("elected")).to_contain_text("Lê Thị Lan", timeout=10_000)
    expect(wall.get_by_test_id("elected")).not_to_contain_text("Phạm Văn Minh")
