"""What a kiosk fetches: the playlist due now, each slide drawn to an HTML fragment.

The page swaps fragments in place; the server draws them so the wall and the officers' home
page share one set of templates (and one set of translations).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from unionhub.core import registry
from unionhub.core.pdf import qr_svg
from unionhub.display import selectors, services
from unionhub.display.models import LIVE_KINDS, Screen, Slide, SlideKind

# Seconds between polls: fast while a live figure is on the playlist (a check-in must reach
# the wall within 3 s), slower otherwise; both well inside "edits show within a minute".
REFRESH_LIVE = 2
REFRESH = 10


def render_slide(
    slide: Slide, *, now: dt.datetime, image_url: Callable[[Slide], str]
) -> str | None:
    """The slide's HTML, or None when a slide of another app has nothing to show now."""
    context: dict[str, Any] = {"slide": slide, "now": now}
    source = registry.slide_sources().get(slide.kind)
    if source is not None:
        content = source.content(slide.params, unit=slide.screen.unit, now=now)
        if content is None:
            return None
        context.update(content)
        return render_to_string(source.template, context)
    today = timezone.localdate(now)
    if slide.kind == SlideKind.MEMBERSHIP and slide.unit is not None:
        # The slow figures are kept a minute, for every wall and home page that shows them.
        context["figures"] = services.membership_figures_kept(unit=slide.unit, today=today)
    elif slide.kind == SlideKind.BREAKDOWN and slide.unit is not None:
        context["figures"] = services.breakdown_figures_kept(
            unit=slide.unit, by=slide.breakdown or "units", today=today
        )
    else:
        context.update(selectors.slide_content(slide=slide, now=now))
    if slide.kind == SlideKind.QR:
        context["qr"] = qr_svg(slide.url)
    if slide.kind == SlideKind.TEXT and slide.image:
        context["image_url"] = image_url(slide)
    return render_to_string(f"display/slides/{slide.kind}.html", context)


def payload(
    *, screen: Screen, image_url: Callable[[Slide], str], now: dt.datetime | None = None
) -> dict[str, Any]:
    now = now or timezone.now()
    sources = registry.slide_sources()
    drawn = [
        (slide, render_slide(slide, now=now, image_url=image_url))
        for slide in selectors.playlist(screen=screen, now=now)
    ]
    slides = [(slide, html) for slide, html in drawn if html is not None]
    live = any(
        slide.kind in LIVE_KINDS or (slide.kind in sources and sources[slide.kind].live)
        for slide, _html in slides
    )
    return {
        "refresh": REFRESH_LIVE if live else REFRESH,
        "slides": [
            {"key": str(slide.pk), "kind": slide.kind, "duration": slide.duration, "html": html}
            for slide, html in slides
        ],
        "idle": render_to_string("display/slides/idle.html", {"screen": screen, "now": now}),
    }


def encode(data: dict[str, Any]) -> tuple[bytes, str]:
    """The JSON body and its entity tag: a wall whose playlist and figures did not change gets
    a 304 and keeps what it shows."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    return body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
