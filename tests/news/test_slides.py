"""The LED news slide: only published stories of the screen unit's subtree, their public cover."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import jpeg
from tests.news.helpers import published, write
from unionhub.core import registry, scope
from unionhub.core.errors import DomainError
from unionhub.news import services


@pytest.fixture
def source():
    return registry.slide_sources()["news.stories"]


def test_the_slide_shows_the_subtrees_public_stories_with_their_public_cover(
    tree, officer_at, source
):
    writer = officer_at(tree.province, scope.COMMUNICATIONS)
    mine = published(tree.grassroots_a1, writer, title="Tin huyện", cover=jpeg())
    published(tree.grassroots_b1, writer, title="Tin huyện khác")
    write(tree.grassroots_a1, writer, title="Nháp")
    params = source.check({"count": 5}, user=writer, unit=tree.district_a)
    content = source.content(params, unit=tree.district_a, now=None)
    assert [s["title"] for s in content["stories"]] == ["Tin huyện"]
    image = content["stories"][0]["image"]
    assert image == f"/p/cover/{mine.pk}/large.jpg"
    assert Client().get(image).status_code == 200


def test_featured_only_and_nothing_to_show(tree, officer_at, source):
    writer = officer_at(tree.province, scope.COMMUNICATIONS)
    story = published(tree.grassroots_a1, writer, category="care")
    params = source.check({"featured": True, "count": 3}, user=writer, unit=tree.province)
    assert source.content(params, unit=tree.province, now=None) is None
    services.feature(by=writer, story=story, unit=tree.province)
    assert source.content(params, unit=tree.province, now=None) is not None
    law = source.check({"category": "law", "count": 3}, user=writer, unit=tree.province)
    assert source.content(law, unit=tree.province, now=None) is None


def test_bad_choices_are_refused(tree, officer_at, source):
    writer = officer_at(tree.province, scope.COMMUNICATIONS)
    with pytest.raises(DomainError):
        source.check({"category": "gossip"}, user=writer, unit=tree.province)
    with pytest.raises(DomainError):
        source.check({"count": 99}, user=writer, unit=tree.province)
