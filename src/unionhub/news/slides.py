"""The LED wall's news slide (core.registry.SlideSource "news.stories"): the latest, or the
featured, public stories of the screen's unit subtree, optionally of one category."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unionhub.core.errors import DomainError
from unionhub.core.types import User
from unionhub.news import selectors
from unionhub.news.models import Category

MAX_STORIES = 10
# The wall asks for its playlist every 10 s and redraws a slide whose content changed: each
# turn brings the next story to the front (its photo, title and summary), the others listed
# beside it, so a slide left on the wall goes through every story without a script of its own.
TURN_SECONDS = 10


class StoriesSlideForm(forms.Form):
    category = forms.ChoiceField(
        label=gettext_lazy("News category"),
        required=False,
        choices=[("", gettext_lazy("Every category")), *Category.choices],
    )
    featured = forms.BooleanField(
        label=gettext_lazy("Only the unit's featured stories"), required=False
    )
    count = forms.IntegerField(
        label=gettext_lazy("Stories in rotation"), min_value=1, max_value=MAX_STORIES, initial=5
    )

    def __init__(self, *args: Any, user: User, unit: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

    def params(self) -> dict[str, Any]:
        return {
            "category": self.cleaned_data["category"],
            "featured": bool(self.cleaned_data["featured"]),
            "count": self.cleaned_data["count"],
        }


def check(params: dict[str, Any], *, user: User, unit: Any) -> dict[str, Any]:
    """Nothing here names another unit: the stories are always the screen unit's subtree."""
    category = params.get("category") or ""
    if category and category not in Category.values:
        raise DomainError("category_unknown", _("Choose a category."), field="category")
    try:
        count = int(params.get("count") or 5)
    except (TypeError, ValueError) as error:
        raise DomainError("count_invalid", _("Enter a whole number."), field="count") from error
    if not 1 <= count <= MAX_STORIES:
        raise DomainError(
            "count_invalid",
            _("Between 1 and %(n)s stories.") % {"n": MAX_STORIES},
            field="count",
        )
    return {"category": category, "featured": bool(params.get("featured")), "count": count}


def content(params: dict[str, Any], *, unit: Any, now: Any) -> dict[str, Any] | None:
    qs = selectors.public_stories(unit, category=params.get("category") or "")
    if params.get("featured"):
        qs = qs.filter(features__unit=unit)
    stories = [
        {
            "title": s.title,
            "summary": s.summary,
            "unit": s.unit.short_name or s.unit.name,
            "category": str(s.get_category_display()),
            "image": reverse("news_cover", args=[s.pk, "large"]) if s.cover else "",
        }
        for s in qs[: int(params.get("count") or 5)]
    ]
    if not stories:
        return None
    if now is not None:
        turn = int(now.timestamp()) // TURN_SECONDS % len(stories)
        stories = stories[turn:] + stories[:turn]
    return {"stories": stories}
