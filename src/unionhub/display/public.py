"""The kiosk: no login, a secret link per screen. An unknown or revoked link answers 404 with
an empty black page, so a wall left on an old link shows nothing at all."""

from __future__ import annotations

import hashlib
from typing import TypeVar

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from unionhub.display import kiosk, selectors, services
from unionhub.display.models import Screen, Slide, SlideKind

# Not a zero-byte body: Chromium replaces an empty error response with its own error page,
# which is exactly what must not appear on a wall.
EMPTY_PAGE = (
    b'<!doctype html><meta name="robots" content="noindex"><title></title>'
    b'<body style="margin:0;background:#000"></body>'
)


def nothing() -> HttpResponse:
    response = HttpResponse(EMPTY_PAGE, status=404, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


_Response = TypeVar("_Response", bound=HttpResponseBase)


def private(response: _Response) -> _Response:
    """The link is the key: no search engine, and no Referer that would carry it elsewhere."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def image_version(slide: Slide) -> str:
    return hashlib.sha256((slide.image.name or "").encode()).hexdigest()[:12]


def _kiosk_image_url(token: str):
    def url(slide: Slide) -> str:
        path = reverse("display_kiosk_image", kwargs={"token": token, "pk": slide.pk})
        return f"{path}?v={image_version(slide)}"

    return url


def shell(request, *, screen: Screen, data_url: str, data: dict) -> HttpResponse:
    """The wall's page: a bar with the emblem, the unit and a clock, and the stage the slides
    are drawn on. The clock runs in the wall's browser in the site's time zone."""
    return private(
        render(
            request,
            "display/kiosk.html",
            {
                "title": screen.name,
                "unit_name": screen.unit.name,
                "time_zone": settings.TIME_ZONE,
                "data_url": data_url,
                "data": data,
            },
        )
    )


def data_response(request, data: dict) -> HttpResponse:
    body, etag = kiosk.encode(data)
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    return private(response)


@require_GET
@never_cache
def kiosk_page(request, token: str) -> HttpResponse:
    screen = selectors.screen_by_token(token)
    if screen is None:
        return nothing()
    services.screen_seen(screen)
    return shell(
        request,
        screen=screen,
        data_url=reverse("display_kiosk_data", kwargs={"token": token}),
        data=kiosk.payload(screen=screen, image_url=_kiosk_image_url(token)),
    )


@require_GET
def kiosk_data(request, token: str) -> HttpResponse:
    screen = selectors.screen_by_token(token)
    if screen is None:
        return nothing()
    services.screen_seen(screen)
    return data_response(request, kiosk.payload(screen=screen, image_url=_kiosk_image_url(token)))


def image_response(slide: Slide | None) -> HttpResponseBase:
    if slide is None or slide.kind != SlideKind.TEXT or not slide.image:
        return nothing()
    response = FileResponse(slide.image.open("rb"), content_type="image/jpeg")
    # The URL carries the image's version, so a wall may keep the picture for a day.
    response["Cache-Control"] = "private, max-age=86400"
    return private(response)


@require_GET
def kiosk_image(request, token: str, pk: int) -> HttpResponseBase:
    screen = selectors.screen_by_token(token)
    if screen is None:
        return nothing()
    return image_response(selectors.screen_slide(screen=screen, pk=pk))
