"""The movements demo: a scored campaign, awards in an issued decision, support records, a
shelter house handed over and the year-end classification of the province's unions."""

from __future__ import annotations

import random

import pytest

from unionhub.core import scope
from unionhub.demo.province import Province
from unionhub.movements import demo
from unionhub.movements.models import (
    Assessment,
    Award,
    Campaign,
    Score,
    ShelterHouse,
    ShelterState,
    SupportRecord,
)


def test_the_demo_fills_every_part_of_movements(tree, commune, admit, officer_at, settings,
                                                tmp_path):  # fmt: skip
    settings.MEDIA_ROOT = tmp_path
    for union in (tree.grassroots_a1, tree.grassroots_a2, tree.grassroots_b1):
        for _ in range(3):
            admit(unit=union)
    officer_at(tree.province, scope.UNIT_ADMIN)
    officer_at(tree.province, scope.VIEWER)
    province = Province(root=tree.root, province=tree.province, communes_2025=[commune])
    lines: list[str] = []

    demo.populate(province=province, rng=random.Random(7), by=tree.admin, log=lines.append)

    campaign = Campaign.objects.get(unit=tree.province)
    assert campaign.registrations.count() == 3
    assert Score.objects.filter(juror__campaign=campaign).count() == 2 * 3 * 2  # jurors×entries×
    awards = Award.objects.filter(campaign=campaign)
    assert awards.count() == 3 and awards.filter(announced__isnull=False).count() == 1
    assert awards.first().decision.symbol
    assert SupportRecord.objects.count() == len(demo.SUPPORT)
    assert ShelterHouse.objects.get().state == ShelterState.HANDED_OVER
    classes = Assessment.objects.filter(classification__unit=tree.province)
    assert classes.count() == 3
    assert classes.filter(grade__name=demo.GRADES[0][0]).count() <= demo.GRADES[0][2]
    assert "3 unions classified" in lines[-1]


pytestmark = pytest.mark.django_db
