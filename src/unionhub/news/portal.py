"""The public portal /p/<unit code>/: no login, no personal data, works without JavaScript.

Pages are rendered once per 30 s per URL and language and kept in the cache, so a published
story appears within a minute and a crowd of readers costs one render: the cache is asked before
anything is read from the database. A story's view is counted on every request (one UPDATE with
F()); the story's id is kept with its page for that."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from django.core.cache import cache
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_safe
from feedgen.feed import FeedGenerator

from unionhub.core import registry
from unionhub.core.ranges import ranged_file_response
from unionhub.news import selectors, services
from unionhub.news.models import Category, Story

CACHE_SECONDS = 30
LATEST = 12
FEED_ITEMS = 30


def _cached(
    request, build: Callable[[], HttpResponse], *, counted: Callable[[], int] | None = None
) -> HttpResponse:
    """The kept page of this URL, or `build()`'s, kept. With `counted` (the story's id, read
    when the page is built), the story's view is counted on every answer, kept or built."""
    key = f"news:portal:{get_language()}:{request.get_full_path()}"
    hit = cache.get(key)
    if hit is not None:
        content, content_type, story_pk = hit
        response = HttpResponse(content, content_type=content_type)
    else:
        response = build()
        story_pk = counted() if counted is not None else None
        if response.status_code == 200:
            cache.set(key, (response.content, response["Content-Type"], story_pk), CACHE_SECONDS)
    if story_pk is not None:
        services.count_view(story_pk=story_pk)
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response


def _category(code: str) -> str:
    if code not in Category.values:
        raise Http404
    return code


def _base(request, unit) -> dict:
    return {
        "unit": unit,
        "portal": selectors.portal(unit),
        "categories": Category.choices,
        "children": selectors.public_children(unit),
        "home_url": request.build_absolute_uri(reverse("news_portal", args=[unit.code])),
    }


@require_GET
def home(request, code: str) -> HttpResponse:
    def build() -> HttpResponse:
        unit = selectors.public_unit(code)
        context = {
            **_base(request, unit),
            "featured": selectors.public_featured(unit),
            "latest": list(selectors.public_stories(unit)[:LATEST]),
            "figures": selectors.public_figures(unit),
            # Other apps' public blocks (the unit's congresses and their live streams).
            "sections": registry.portal_sections(unit),
        }
        return render(request, "news/portal/home.html", context)

    return _cached(request, build)


@require_GET
def category(request, code: str, category: str) -> HttpResponse:
    def build() -> HttpResponse:
        unit = selectors.public_unit(code)
        chosen = _category(category)
        context = {
            **_base(request, unit),
            "category": chosen,
            "category_label": Category(chosen).label,
            "latest": list(selectors.public_stories(unit, category=chosen)[:50]),
        }
        return render(request, "news/portal/category.html", context)

    return _cached(request, build)


@require_GET
def search(request, code: str) -> HttpResponse:
    unit = selectors.public_unit(code)
    q = request.GET.get("q", "").strip()[:100]
    found = list(selectors.public_stories(unit, q=q)[:50]) if q else []
    context = {**_base(request, unit), "q": q, "latest": found}
    return render(request, "news/portal/search.html", context)


def share_links(url: str, title: str) -> dict[str, str]:
    """Plain links to the networks' own share pages: no script of theirs runs on ours."""
    return {
        "facebook": f"https://www.facebook.com/sharer/sharer.php?u={quote(url, safe='')}",
        "zalo": f"https://sp.zalo.me/share_inline?u={quote(url, safe='')}",
        "twitter": (
            f"https://twitter.com/intent/tweet?url={quote(url, safe='')}&text={quote(title)}"
        ),
        "email": f"mailto:?subject={quote(title)}&body={quote(url, safe='')}",
    }


@require_GET
def story(request, code: str, slug: str) -> HttpResponse:
    built: list[Story] = []

    def build() -> HttpResponse:
        unit = selectors.public_unit(code)
        found = selectors.public_story(unit, slug)
        built.append(found)
        url = request.build_absolute_uri(reverse("news_story", args=[unit.code, found.slug]))
        context = {
            **_base(request, unit),
            "story": found,
            "images": selectors.public_images(found),
            "url": url,
            "share": share_links(url, found.title),
            "cover_url": (
                request.build_absolute_uri(reverse("news_cover", args=[found.pk, "large"]))
                if found.cover
                else ""
            ),
            "related": list(
                selectors.public_stories(unit, category=found.category).exclude(pk=found.pk)[:4]
            ),
        }
        return render(request, "news/portal/story.html", context)

    return _cached(request, build, counted=lambda: built[0].pk)


def _feed(request, unit, stories: list[Story], title: str, link: str) -> FeedGenerator:
    feed = FeedGenerator()
    feed.id(link)
    feed.title(title)
    feed.link(href=link, rel="alternate")
    feed.link(href=request.build_absolute_uri(), rel="self")
    feed.description(unit.name)
    feed.language(get_language() or "vi")
    for item in reversed(stories):
        url = request.build_absolute_uri(reverse("news_story", args=[item.unit.code, item.slug]))
        entry = feed.add_entry()
        entry.id(url)
        entry.title(item.title)
        entry.link(href=url)
        entry.summary(item.summary or item.title)
        entry.published(item.publish_at)
        entry.updated(item.updated_at)
        entry.category(term=item.category, label=str(item.get_category_display()))
    return feed


@require_GET
def feed(request, code: str, kind: str, category: str = "") -> HttpResponse:
    def build() -> HttpResponse:
        unit = selectors.public_unit(code)
        chosen = _category(category) if category else ""
        stories = list(selectors.public_stories(unit, category=chosen)[:FEED_ITEMS])
        title = unit.name
        if chosen:
            title = f"{unit.name} · {Category(chosen).label}"
        link = request.build_absolute_uri(reverse("news_portal", args=[unit.code]))
        generated = _feed(request, unit, stories, title, link)
        if kind == "atom":
            return HttpResponse(
                generated.atom_str(pretty=True), content_type="application/atom+xml"
            )
        return HttpResponse(generated.rss_str(pretty=True), content_type="application/rss+xml")

    return _cached(request, build)


@require_GET
def sitemap(request, code: str) -> HttpResponse:
    def build() -> HttpResponse:
        unit = selectors.public_unit(code)
        context = {
            "home": request.build_absolute_uri(reverse("news_portal", args=[unit.code])),
            "categories": [
                request.build_absolute_uri(reverse("news_category", args=[unit.code, c]))
                for c in Category.values
            ],
            "stories": [
                (
                    request.build_absolute_uri(reverse("news_story", args=[s.unit.code, s.slug])),
                    s.updated_at,
                )
                for s in selectors.sitemap_stories(unit)
            ],
            "now": timezone.now(),
        }
        return render(request, "news/portal/sitemap.xml", context, content_type="application/xml")

    return _cached(request, build)


def _image(field) -> FileResponse:
    response = FileResponse(field.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def cover(request, pk: int, size: str) -> FileResponse:
    found = selectors.public_cover(pk)
    return _image(found.cover if size == "large" else found.cover_small)


@require_GET
def photo(request, pk: int, size: str) -> FileResponse:
    found = selectors.public_story_image(pk)
    return _image(found.image if size == "large" else found.image_small)


@require_safe
def video(request, pk: int):
    """A public story's video, in the ranges the reader's player asks for (to start at once and
    to seek). Kept by browsers and proxies for an hour, like the photos."""
    found = selectors.public_video(pk)
    return ranged_file_response(
        request, found.video, content_type=found.video_type, cache_control="public, max-age=3600"
    )


@require_GET
def video_poster(request, pk: int) -> FileResponse:
    found = selectors.public_video(pk)
    if not found.video_poster:
        raise Http404
    return _image(found.video_poster)
