"""The LED slides this app gives the screens: results, the ceremony driven from its control
page, and the year's care in aggregate."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.dispatch.helpers import draft_and_issue
from tests.movements.helpers import campaign, entry
from unionhub.core import registry, scope
from unionhub.core.errors import DomainError
from unionhub.dispatch.models import DocumentType, TargetKind
from unionhub.display import kiosk
from unionhub.display import services as display
from unionhub.movements import awards, care, services


@pytest.fixture
def world(tree, officer_at, admit, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    chair = officer_at(tree.province, scope.UNIT_ADMIN)
    run = campaign(tree.province, chair)
    screen, _token = display.screen_create(unit=tree.province, name="Hội trường", by=chair)
    return chair, run, screen


def _wall(screen) -> str:
    return "".join(
        s["html"] for s in kiosk.payload(screen=screen, image_url=lambda s: "")["slides"]
    )


def test_the_three_kinds_are_offered_to_the_screens():
    assert {"movements.results", "movements.ceremony", "movements.care"} <= set(
        registry.slide_sources()
    )
    assert registry.slide_sources()["movements.ceremony"].live


def test_the_ceremony_slide_shows_names_as_the_control_page_announces_them(world, tree, admit):
    chair, run, screen = world
    decision = draft_and_issue(
        unit=tree.province, by=chair, targets=[(tree.district_a, TargetKind.UNIT)],
        doc_type=DocumentType.DECISION,
    )  # fmt: skip
    first = awards.level_add(unit=tree.province, name="Giải Nhất", certificate_title="Giấy khen",
                             by=chair)  # fmt: skip
    second = awards.level_add(unit=tree.province, name="Giải Nhì", certificate_title="Giấy khen",
                              by=chair)  # fmt: skip
    winner = admit(unit=tree.grassroots_a1, full_name="Hoàng Thị Lan")
    runner_up = admit(unit=tree.grassroots_a2, full_name="Đặng Văn Quý")
    for level, member in ((first, winner), (second, runner_up)):
        awards.award_grant(level=level, decision=decision, reason="Sáng kiến", member=member,
                           campaign=run, by=chair)  # fmt: skip
    display.slide_add(
        screen=screen, kind="movements.ceremony", by=chair, params={"campaign": run.pk}
    )
    assert "Hoàng Thị Lan" not in _wall(screen) and "Đặng Văn Quý" not in _wall(screen)
    control = Client()
    control.force_login(chair)
    url = reverse("movements:ceremony", args=[run.pk])
    control.post(url)  # the second prize is read out first
    wall = _wall(screen)
    assert "Đặng Văn Quý" in wall and "Hoàng Thị Lan" not in wall
    control.post(url)
    wall = _wall(screen)
    assert "Hoàng Thị Lan" in wall and "Đặng Văn Quý" in wall
    assert kiosk.payload(screen=screen, image_url=lambda s: "")["refresh"] == kiosk.REFRESH_LIVE


def test_results_slide_and_a_campaign_outside_the_screen(world, tree, officer_at):
    chair, run, screen = world
    clerk = officer_at(tree.grassroots_a1, scope.CLERK)
    submitted = entry(run, tree.grassroots_a1, clerk, title="Máy bóc vỏ")
    juror = officer_at(tree.province, scope.VIEWER)
    services.juror_appoint(campaign=run, user=juror, by=chair)
    creative, effect = run.criteria.all()
    services.scores_save(campaign=run, entry=submitted, by=juror,
                         points={creative.pk: Decimal(30), effect.pk: Decimal(40)})  # fmt: skip
    display.slide_add(
        screen=screen, kind="movements.results", by=chair, params={"campaign": run.pk}
    )
    assert "Máy bóc vỏ" in _wall(screen)
    district_screen, _ = display.screen_create(unit=tree.district_a, name="Sảnh", by=chair)
    with pytest.raises(DomainError):  # a province campaign is not inside a district screen
        display.slide_add(screen=district_screen, kind="movements.results", by=chair,
                          params={"campaign": run.pk})  # fmt: skip


def test_care_slide_shows_this_years_totals_only(world, tree, officer_at, admit):
    chair, _run, screen = world
    member = admit(unit=tree.grassroots_a1, full_name="Võ Thị Hạnh")
    clerk = officer_at(tree.grassroots_a1, scope.CLERK)
    today = timezone.localdate()
    for amount in (1_000_000, 2_500_000):
        record = care.support_propose(member=member, kind="sickness", date=today,
                                      fund="social_fund", amount=amount, by=clerk)  # fmt: skip
        care.support_approve(record=record, deciding_unit=tree.province, paid_on=today, by=chair)
    care.support_propose(member=member, kind="other", date=today - dt.timedelta(days=400),
                         fund="social_fund", amount=9_000_000, by=clerk)  # fmt: skip
    display.slide_add(screen=screen, kind="movements.care", by=chair, params={})
    wall = _wall(screen)
    assert "3500000" in wall.replace(".", "").replace(",", "")
    assert "Võ Thị Hạnh" not in wall
