"""Demo members: the sizes asked for, histories the event engine accepts, plausible documents."""

import random

import pytest

from unionhub.demo import members as demo_members
from unionhub.demo.province import Planned, Province
from unionhub.members import identity, lifecycle
from unionhub.members.models import (
    HOLDING_STATES,
    IdKind,
    Member,
    MembershipEvent,
    MembershipPeriod,
)


@pytest.fixture
def small_province(tree, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    province = Province(root=tree.root, province=tree.province)
    province.grassroots = [
        Planned(
            "Công ty TNHH Hồng Lam",
            "enterprise",
            "enterprise",
            False,
            "HT-CL",
            unit=tree.grassroots_b1,
        ),
        Planned(
            "Trường THCS Tùng Ảnh",
            "lower_secondary_school",
            "education",
            False,
            "HT-DT",
            unit=tree.grassroots_a1,
        ),
        Planned(
            "Trạm Y tế xã Đức Lạng",
            "commune_health_station",
            "health",
            False,
            "HT-DT",
            unit=tree.grassroots_a2,
        ),
    ]
    return province


def test_generated_histories_replay_to_the_cached_state_and_periods(small_province, tree):
    generator = demo_members.Generator(rng=random.Random(1), by=tree.admin, log=lambda _line: None)
    holding = generator.before(small_province, 400)
    generator.after(400)
    assert Member.objects.filter(state__in=HOLDING_STATES).count() >= holding * 0.97
    # The enterprise (moving under the province) gets its share: 37,253 of 72,059.
    in_direct = Member.objects.filter(unit=tree.grassroots_b1, joined__lt="2025-07-01").count()
    assert in_direct > 0.45 * holding
    for member in Member.objects.all():
        events = [
            lifecycle.Event(e.kind, e.date, e.unit_id, e.other_unit_id, e.reorganisation)
            for e in MembershipEvent.objects.filter(member=member).order_by("date", "id")
        ]
        standing, periods = lifecycle.replay(events)
        assert (member.state, member.unit_id, member.state_since) == (
            standing.state,
            standing.unit_id,
            standing.since,
        )
        stored = MembershipPeriod.objects.filter(member=member).order_by("start")
        assert [lifecycle.Period(p.unit_id, p.start, p.end) for p in stored] == periods
        assert member.completeness == member.compute_completeness()
        assert member.sort_key and member.name_folded


def test_documents_are_unique_and_agree_with_the_profile(small_province, tree):
    generator = demo_members.Generator(rng=random.Random(2), by=tree.admin, log=lambda _line: None)
    generator.before(small_province, 300)
    cccd = Member.objects.filter(id_kind=IdKind.CCCD).exclude(id_number="")
    numbers = list(cccd.values_list("id_number", flat=True))
    assert len(numbers) == len(set(numbers)) > 250
    for member in cccd:
        assert (
            identity.warnings(
                member.id_kind, member.id_number, gender=member.gender, birth_date=member.birth_date
            )
            == []
        )
    families = Member.objects.values_list("family_name", flat=True)
    assert sum(name == "Nguyễn" for name in families) > 0.2 * len(families)
