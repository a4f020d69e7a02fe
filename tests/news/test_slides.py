"""The LED news slide: only published stories of the screen unit's subtree, their public cover."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone

from tests.factories import jpeg
from tests.news.helpers import published, write
from unionhub.core import registry, scope
from unionhub.core.errors import DomainError
from unionhub.news import services, slides


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


def test_the_slide_brings_each_story_to_the_front_in_turn(tree, officer_at, source):
    writer = officer_at(tree.province, scope.COMMUNICATIONS)
    start = timezone.now() - dt.timedelta(hours=3)
    for n, title in enumerate(["Tin một", "Tin hai", "Tin ba"]):
        published(tree.grassroots_a1, writer, title=title, at=start + dt.timedelta(minutes=n))
    params = source.check({"count": 3}, user=writer, unit=tree.district_a)
    first = dt.datetime(2026, 5, 1, 8, 0, 0, tzinfo=dt.UTC)  # a whole number of turns
    fronts = []
    for turn in range(4):
        now = first + dt.timedelta(seconds=turn * slides.TURN_SECONDS)
        stories = source.content(params, unit=tree.district_a, now=now)["stories"]
        assert sorted(s["title"] for s in stories) == ["Tin ba", "Tin hai", "Tin một"]
        fronts.append(stories[0]["title"])
    assert fronts == ["Tin ba", "Tin hai", "Tin một", "Tin ba"]  # newest first, then round


def test_the_wall_draws_the_story_at_the_front_with_the_others_beside_it(tree, officer_at, source):
    writer = officer_at(tree.province, scope.COMMUNICATIONS)
    published(tree.grassroots_a1, writer, title="Tin một", cover=jpeg())
    published(tree.grassroots_a2, writer, title="Tin hai")
    params = source.check({"count": 5}, user=writer, unit=tree.district_a)
    first = dt.datetime(2026, 5, 1, 8, 0, 0, tzinfo=dt.UTC)
    drawn = [
        render_to_string(
            source.template,
            {
                "slide": None,
                **source.content(
                    params,
                    unit=tree.district_a,
                    now=first + dt.timedelta(seconds=turn * slides.TURN_SECONDS),
                ),
            },
        )
        for turn in range(2)
    ]
    assert drawn[0] != drawn[1]
    for html, front, other in zip(
        drawn, ["Tin hai", "Tin một"], ["Tin một", "Tin hai"], strict=True
    ):
        assert f'<h1 class="slide-title">{front}</h1>' in html
        assert f"<li>{other} " in html
