"""Every read of the news app. Officers' reads are scoped to the units where they hold the
communications role; the portal's reads return only what is public (published, its time come)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404
from django.utils import timezone

from unionhub.core import scope
from unionhub.core.types import AnyUser
from unionhub.members.models import HOLDING_STATES, Member
from unionhub.news.models import Category, Feature, Portal, State, Story, StoryImage
from unionhub.orgs.models import Level, Unit

ROLE = scope.COMMUNICATIONS
SORTS = {
    "title": "title",
    "-title": "-title",
    "updated": "updated_at",
    "-updated": "-updated_at",
    "published": "publish_at",
    "-published": "-publish_at",
    "views": "views",
    "-views": "-views",
}


def stories(
    user: AnyUser,
    *,
    unit: Unit | None = None,
    state: str = "",
    category: str = "",
    q: str = "",
    sort: str = "-updated",
) -> QuerySet[Story]:
    qs = scope.restrict(Story.objects.select_related("unit"), user, role=ROLE, via="unit")
    if unit is not None:
        qs = qs.filter(scope.subtree_q(unit.path, via="unit"))
    if state in State.values:
        qs = qs.filter(state=state)
    if category in Category.values:
        qs = qs.filter(category=category)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(tags__icontains=q))
    return qs.order_by(SORTS.get(sort, "-updated_at"), "-pk")


def story(user: AnyUser, pk: int) -> Story:
    return get_object_or_404(
        scope.restrict(Story.objects.select_related("unit"), user, role=ROLE, via="unit"), pk=pk
    )


def story_image(user: AnyUser, pk: int) -> StoryImage:
    return get_object_or_404(
        scope.restrict(
            StoryImage.objects.select_related("story__unit"), user, role=ROLE, via="story__unit"
        ),
        pk=pk,
    )


def writable_units(user: AnyUser) -> QuerySet[Unit]:
    return scope.units(user, role=ROLE)


def portal_units(user: AnyUser) -> QuerySet[Unit]:
    """The highest units whose public portal the officer may set up (unit admins)."""
    return scope.top_units(user, role=scope.UNIT_ADMIN)


def unit(user: AnyUser, pk: int) -> Unit:
    found: Unit = get_object_or_404(scope.units(user, role=ROLE), pk=pk)
    return found


def feature_units(user: AnyUser, story: Story) -> list[Unit]:
    """Units above the story's where the officer may feature it."""
    return [
        u
        for u in scope.units(user, role=ROLE).filter(path__lt=story.unit.path).order_by("path")
        if story.unit.path.startswith(u.path)
    ]


def featured_by(story: Story) -> list[Unit]:
    return [f.unit for f in Feature.objects.filter(story=story).select_related("unit")]


def statistics(
    user: AnyUser, *, unit: Unit | None, start: dt.date, end: dt.date
) -> list[dict[str, Any]]:
    """Stories published per unit, category and month in [start, end], with their views."""
    qs = stories(user, unit=unit).filter(
        state=State.PUBLISHED, publish_at__date__gte=start, publish_at__date__lte=end
    )
    rows = (
        qs.annotate(month=TruncMonth("publish_at"))
        .values("unit__code", "unit__name", "category", "month")
        .annotate(count=Count("pk"), views=Sum("views"))
        .order_by("unit__code", "month", "category")
    )
    labels = dict(Category.choices)
    return [{**row, "category_label": labels.get(row["category"], row["category"])} for row in rows]


# The public portal: no user, only what anyone may read.


def public_unit(code: str) -> Unit:
    return get_object_or_404(Unit.objects.filter(dissolved__isnull=True), code=code)


def public_stories(unit: Unit, *, category: str = "", q: str = "") -> QuerySet[Story]:
    """Published stories of `unit`'s subtree whose time has come, newest first."""
    qs = Story.objects.filter(
        scope.subtree_q(unit.path, via="unit"),
        state=State.PUBLISHED,
        publish_at__lte=timezone.now(),
    ).select_related("unit")
    if category:
        qs = qs.filter(category=category)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(summary__icontains=q) | Q(tags__icontains=q))
    return qs.order_by("-publish_at", "-pk")


def public_featured(unit: Unit, *, limit: int = 3) -> list[Story]:
    return list(public_stories(unit).filter(features__unit=unit).order_by("-features__at")[:limit])


def public_story(unit: Unit, slug: str) -> Story:
    return get_object_or_404(public_stories(unit), slug=slug)


def public_images(story: Story) -> list[StoryImage]:
    return list(story.images.all())


def public_story_image(pk: int) -> StoryImage:
    """A gallery photo of a story that is public now (anything else is not found)."""
    return get_object_or_404(
        StoryImage.objects.select_related("story"),
        pk=pk,
        story__state=State.PUBLISHED,
        story__publish_at__lte=timezone.now(),
    )


def public_cover(pk: int) -> Story:
    return get_object_or_404(
        Story.objects.exclude(cover=""),
        pk=pk,
        state=State.PUBLISHED,
        publish_at__lte=timezone.now(),
    )


def public_video(pk: int) -> Story:
    """A story's video, only once the story is public; a draft's goes through `story()`."""
    return get_object_or_404(
        Story.objects.exclude(video=""),
        pk=pk,
        state=State.PUBLISHED,
        publish_at__lte=timezone.now(),
    )


def portal(unit: Unit) -> Portal | None:
    return Portal.objects.filter(unit=unit).first()


def public_figures(unit: Unit) -> dict[str, int] | None:
    """Aggregate counts only, and only when the unit chose to show them."""
    chosen = portal(unit)
    if chosen is None or not chosen.show_figures:
        return None
    members = Member.objects.filter(
        scope.subtree_q(unit.path, via="unit"), state__in=HOLDING_STATES
    ).count()
    grassroots = Unit.objects.filter(
        scope.subtree_q(unit.path), level=Level.GRASSROOTS, dissolved__isnull=True
    ).count()
    return {"members": members, "grassroots": grassroots}


def public_children(unit: Unit) -> QuerySet[Unit]:
    return Unit.objects.filter(parent=unit, dissolved__isnull=True).order_by("sort_key")


def sitemap_stories(unit: Unit) -> QuerySet[Story]:
    return public_stories(unit).only("slug", "updated_at", "unit__code")[:5000]
