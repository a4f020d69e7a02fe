from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import override_settings

from tests.movements.helpers import TODAY, campaign, entry
from tests.world import make_officer
from unionhub.audit.models import AuditEvent
from unionhub.core import scope
from unionhub.core.errors import DomainError, OutOfScope
from unionhub.movements import scoring, selectors, services
from unionhub.movements.models import Campaign, Entry, Score


@pytest.fixture
def world(tree, officer_at):
    organiser = officer_at(tree.province, scope.UNIT_ADMIN)
    clerk = officer_at(tree.grassroots_a1, scope.CLERK)
    jurors = [officer_at(tree.province, scope.VIEWER) for _ in range(3)]
    run = campaign(tree.province, organiser, rule="trimmed_mean")
    for juror in jurors:
        services.juror_appoint(campaign=run, user=juror, by=organiser)
    return organiser, clerk, jurors, run


def test_a_campaign_needs_the_unit_admin_and_sane_criteria(tree, officer_at):
    clerk = officer_at(tree.province, scope.CLERK)
    with pytest.raises(OutOfScope):
        campaign(tree.province, clerk)
    admin = officer_at(tree.province, scope.UNIT_ADMIN)
    with pytest.raises(DomainError) as refused:
        campaign(tree.province, admin, criteria=[("A", 10, Decimal(1)), ("A", 10, Decimal(1))])
    assert (refused.value.code, refused.value.row) == ("criterion_name", 2)
    with pytest.raises(DomainError):
        campaign(tree.province, admin, criteria=[("A", 0, Decimal(1))])
    assert not Campaign.objects.exists()  # nothing half-written
    run = campaign(tree.province, admin)
    assert [c.name for c in run.criteria.all()] == ["Tính sáng tạo", "Hiệu quả"]
    assert AuditEvent.objects.filter(action="movements.campaign.created").count() == 1


def test_registration_is_by_a_clerk_inside_the_subtree(world, tree, officer_at):
    _organiser, clerk, _jurors, run = world
    with pytest.raises(OutOfScope):
        services.register(campaign=run, unit=tree.grassroots_b1, today=TODAY, by=clerk)
    services.register(campaign=run, unit=tree.grassroots_a1, today=TODAY, by=clerk)
    with pytest.raises(DomainError, match="đã có"):
        services.register(campaign=run, unit=tree.grassroots_a1, today=TODAY, by=clerk)
    with pytest.raises(DomainError, match="đã kết thúc"):
        services.register(
            campaign=run, unit=tree.grassroots_a1, today=run.ends + dt.timedelta(days=1), by=clerk
        )


def test_a_member_campaign_needs_a_member_of_the_unit(tree, officer_at, admit):
    organiser = officer_at(tree.province, scope.UNIT_ADMIN)
    clerk = officer_at(tree.grassroots_a1, scope.CLERK)
    run = campaign(tree.province, organiser, participants="members")
    with pytest.raises(DomainError):
        services.register(campaign=run, unit=tree.grassroots_a1, today=TODAY, by=clerk)
    outsider = admit(unit=tree.grassroots_b1)
    with pytest.raises(DomainError):
        services.register(
            campaign=run, unit=tree.grassroots_a1, member=outsider, today=TODAY, by=clerk
        )
    member = admit(unit=tree.grassroots_a1)
    registration = services.register(
        campaign=run, unit=tree.grassroots_a1, member=member, today=TODAY, by=clerk
    )
    assert registration.member == member


@override_settings(UPLOAD_MAX_MB={"attachment": 1})
def test_entry_files_keep_within_the_ceiling(world, tree, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _organiser, clerk, _jurors, run = world
    registration = services.register(campaign=run, unit=tree.grassroots_a1, today=TODAY, by=clerk)
    big = SimpleUploadedFile("big.pdf", b"x" * (1024 * 1024 + 1))
    with pytest.raises(DomainError, match="1 MB"):
        services.entry_submit(
            registration=registration, title="T", text="X", files=[big], today=TODAY, by=clerk
        )
    assert not Entry.objects.exists()
    small = SimpleUploadedFile("anh.jpg", b"photo")
    made = services.entry_submit(
        registration=registration, title="T", text="X", files=[small], today=TODAY, by=clerk
    )
    assert [f.name for f in made.files.all()] == ["anh.jpg"]


def test_each_juror_writes_and_reads_only_their_own_sheet(world, tree):
    _organiser, clerk, (first, second, third), run = world
    submitted = entry(run, tree.grassroots_a1, clerk)
    creative, effect = run.criteria.all()
    services.scores_save(
        campaign=run, entry=submitted, points={creative.pk: Decimal(30), effect.pk: Decimal(50)},
        by=first,
    )  # fmt: skip
    services.scores_save(
        campaign=run, entry=submitted, points={creative.pk: Decimal(10)}, by=second
    )
    # The second juror's save touched only the second juror's sheet.
    assert selectors.own_scores(user=first, campaign=run) == {
        (submitted.pk, creative.pk): Decimal(30),
        (submitted.pk, effect.pk): Decimal(50),
    }
    assert selectors.own_scores(user=second, campaign=run) == {
        (submitted.pk, creative.pk): Decimal(10)
    }
    assert Score.objects.filter(juror__user=first, points=Decimal(30)).count() == 1
    # Not a juror: no sheet to read, nothing to write.
    with pytest.raises(OutOfScope):
        services.scores_save(
            campaign=run, entry=submitted, points={creative.pk: Decimal(1)}, by=clerk
        )
    with pytest.raises(Http404):
        selectors.own_scores(user=clerk, campaign=run)
    with pytest.raises(DomainError, match="từ 0 đến 40"):
        services.scores_save(
            campaign=run, entry=submitted, points={creative.pk: Decimal(41)}, by=third
        )


def test_results_follow_the_campaigns_rule(world, tree):
    _organiser, clerk, jurors, run = world
    first = entry(run, tree.grassroots_a1, clerk, title="E1")
    second = entry(run, tree.grassroots_a2, make_officer(tree, tree.grassroots_a2, scope.CLERK))
    creative, effect = run.criteria.all()
    sheets = [(10, 10), (20, 30), (40, 60)]  # totals 30, 80, 160: trimmed mean keeps 80
    for juror, (c, e) in zip(jurors, sheets, strict=True):
        services.scores_save(
            campaign=run, entry=first, points={creative.pk: Decimal(c), effect.pk: Decimal(e)},
            by=juror,
        )  # fmt: skip
        services.scores_save(
            campaign=run, entry=second,
            points={creative.pk: Decimal(20), effect.pk: Decimal(30)}, by=juror,
        )  # fmt: skip
    ranking = selectors.results(user=world[0], campaign=run)
    assert [(r["rank"], r["score"], r["jurors"]) for r in ranking] == [
        (1, scoring.as_decimal(Fraction(80)), 3),
        (1, scoring.as_decimal(Fraction(80)), 3),
    ]  # a tie: both share the first place
