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

import segno
from django.template.loader import render_to_string
from django.utils import timezone

from unionhub.display import selectors, services
from unionhub.display.models import LIVE_KINDS, Screen, Slide, SlideKind

# Seconds between polls: fast while a live figure is on the playlist (a check-in must reach
# the wall within 3 s), slower otherwise; both well inside "edits show within a minute".
REFRESH_LIVE = 2
REFRESH = 10


def qr_svg(url: str) -> str:
    """The QR code as inline SVG that scales to its box; a fixed mask is much faster to
    compute and still scans (DESIGN §7)."""
    return segno.make(url, error="m", mask=2).svg_inline(
        omitsize=True, border=2, dark="#000", light="#fff"
    )


def render_slide(slide: Slide, *, now: dt.datetime, image_url: Callable[[Slide], str]) -> str:
    context: dict[str, Any] = {"slide": slide, "now": now}
    context.update(
        selectors.slide_content(
            slide=slide,
            now=now,
            membership=services.membership_figures_kept,
            breakdown=services.breakdown_figures_kept,
        )
    )
    if slide.kind == SlideKind.QR:
        context["qr"] = qr_svg(slide.url)
    if slide.kind == SlideKind.TEXT and slide.image:
        context["image_url"] = image_url(slide)
    return render_to_string(f"display/slides/{slide.kind}.html", context)


def payload(
    *, screen: Screen, image_url: Callable[[Slide], str], now: dt.datetime | None = None
) -> dict[str, Any]:
    now = now or timezone.now()
    slides = selectors.playlist(screen=screen, now=now)
    return {
        "refresh": REFRESH_LIVE if any(s.kind in LIVE_KINDS for s in slides) else REFRESH,
        "slides": [
            {
                "key": str(slide.pk),
                "kind": slide.kind,
                "duration": slide.duration,
                "html": render_slide(slide, now=now, image_url=image_url),
            }
            for slide in slides
        ],
        "idle": render_to_string("display/slides/idle.html", {"screen": screen, "now": now}),
    }


def encode(data: dict[str, Any]) -> tuple[bytes, str]:
    """The JSON body and its entity tag: a wall whose playlist and figures did not change gets
    a 304 and keeps what it shows."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    return body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
