"""A campaign from registration to the award ceremony on the LED wall: an officer opens the
campaign, a grassroots union registers an entry on a phone, the juror scores it, the award is
decided, and the ceremony slide shows the winner once the control page announces it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.dispatch.helpers import draft_and_issue
from tests.movements.helpers import campaign
from tests.world import build_tree, make_officer, make_superuser
from unionhub.core import scope
from unionhub.dispatch.models import DocumentType, TargetKind
from unionhub.display import services as display
from unionhub.movements import awards, services

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}


def _login(page, base: str, user) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", f"pw-{user.username}")
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_from_entry_to_the_ceremony_wall(browser, page, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    tree = build_tree(make_superuser())
    chair = make_officer(tree, tree.province, scope.UNIT_ADMIN)
    clerk = make_officer(tree, tree.grassroots_a1, scope.CLERK)
    run = campaign(tree.province, chair, title="Lao động sáng tạo 2026")
    services.juror_appoint(campaign=run, user=chair, by=chair)
    base = live_server.url

    _login(page, base, chair)
    page.goto(base + reverse("movements:list"))
    page.get_by_role("link", name="Lao động sáng tạo 2026").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lao động sáng tạo 2026")

    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    mobile = phone.new_page()
    _login(mobile, base, clerk)
    mobile.goto(base + reverse("movements:take_part", args=[run.pk]))
    mobile.select_option("select[name=r-unit]", str(tree.grassroots_a1.pk))
    mobile.locator("form", has=mobile.locator("select[name=r-unit]")).locator("button").click()
    mobile.select_option("select[name=e-registration]", index=1)
    mobile.fill("input[name=e-title]", "Máy cắt cải tiến")
    mobile.fill("textarea[name=e-text]", "Giảm 20% thời gian cắt.")
    mobile.fill("input[name=e-benefit]", "15000000")
    mobile.locator("form", has=mobile.locator("input[name=e-title]")).locator("button").click()
    expect(mobile.locator("body")).not_to_contain_text("e-title")
    assert mobile.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.close()

    page.goto(base + reverse("movements:score", args=[run.pk]))
    inputs = page.locator("form[data-testid^=sheet] input[inputmode=decimal]")
    inputs.nth(0).fill("35")
    inputs.nth(1).fill("50")
    page.locator("form[data-testid^=sheet] button").click()
    page.goto(base + reverse("movements:results", args=[run.pk]))
    expect(page.get_by_test_id("ranking")).to_contain_text("Máy cắt cải tiến")
    expect(page.get_by_test_id("ranking")).to_contain_text(re.compile(r"135[.,]00"))

    decision = draft_and_issue(
        unit=tree.province, by=chair, targets=[(tree.district_a, TargetKind.UNIT)],
        doc_type=DocumentType.DECISION, summary="Về việc khen thưởng phong trào",
    )  # fmt: skip
    awards.level_add(unit=tree.province, name="Giải Nhất", certificate_title="Giấy khen", by=chair)
    page.goto(base + reverse("movements:award_create"))
    page.select_option("select[name=a-level]", index=1)
    page.select_option("select[name=a-decision]", str(decision.pk))
    page.fill("input[name=a-unit]", tree.grassroots_a1.code)
    page.select_option("select[name=a-campaign]", str(run.pk))
    page.fill("input[name=a-reason]", "Sáng kiến Máy cắt cải tiến")
    page.locator("form", has=page.locator("input[name=a-reason]")).locator("button").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(tree.grassroots_a1.name)

    screen, token = display.screen_create(unit=tree.province, name="Hội trường", by=chair)
    display.slide_add(screen=screen, kind="movements.ceremony", by=chair,
                      params={"campaign": run.pk})  # fmt: skip
    wall = browser.new_page(viewport={"width": 1920, "height": 1080})
    wall.goto(base + reverse("display_kiosk", kwargs={"token": token}))
    expect(wall.locator("body")).to_contain_text("Lễ trao thưởng", timeout=10_000)
    expect(wall.locator("body")).not_to_contain_text(tree.grassroots_a1.name)

    page.goto(base + reverse("movements:ceremony", args=[run.pk]))
    page.get_by_test_id("announce").click()
    expect(wall.locator("[data-testid=latest]")).to_contain_text(
        tree.grassroots_a1.name, timeout=10_000
    )
    wall.close()
