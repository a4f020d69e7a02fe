import random
from types import SimpleNamespace

import pytest

from unionhub.cards import demo
from unionhub.cards.models import Card, CardSeries, CardState

pytestmark = pytest.mark.django_db


def test_demo_numbers_the_province_and_issues_cards_in_every_state(tree, admit):
    for _ in range(12):
        admit()
    demo.populate(
        province=SimpleNamespace(province=tree.province),
        rng=random.Random(1),
        by=tree.admin,
        log=lambda line: None,
    )
    assert CardSeries.objects.get().code == "042"
    states = set(Card.objects.values_list("state", flat=True))
    assert states == set(CardState.values)
