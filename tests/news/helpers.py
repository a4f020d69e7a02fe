from __future__ import annotations

import datetime as dt
from typing import Any

from unionhub.news import services
from unionhub.news.models import Category, Story


def write(unit: Any, by: Any, *, title: str = "Hội thao công nhân", **extra: Any) -> Story:
    args: dict[str, Any] = {
        "summary": "Tóm tắt",
        "body": "<p>Nội dung</p>",
        "category": Category.ACTIVITIES,
    }
    args.update(extra)
    return services.save_story(by=by, unit=unit, title=title, **args)


def published(unit: Any, by: Any, *, at: dt.datetime | None = None, **extra: Any) -> Story:
    story = write(unit, by, **extra)
    services.submit(by=by, story=story)
    return services.publish(by=by, story=story, at=at)
