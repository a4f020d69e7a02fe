"""Every write of the news app: stories, their photos, their workflow, features, portals."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from unionhub.audit.services import log
from unionhub.core import images, scope, uploads
from unionhub.core.errors import Conflict, DomainError
from unionhub.core.text import fold
from unionhub.core.types import User
from unionhub.news import sanitise
from unionhub.news.actions import Action
from unionhub.news.models import Category, Feature, Portal, State, Story, StoryImage
from unionhub.orgs.models import Unit

ROLE = scope.COMMUNICATIONS
LARGE = (1600, 1600)
SMALL = (640, 640)
MAX_GALLERY = 30
MAX_BODY_CHARS = 200_000
EDITABLE = (State.DRAFT, State.RETURNED)


def _slug_for(unit: Unit, title: str, story_pk: int | None) -> str:
    base = slugify(fold(title))[:70].strip("-") or "tin"
    others = Story.objects.filter(unit=unit, slug__startswith=base)
    if story_pk is not None:
        others = others.exclude(pk=story_pk)
    taken = set(others.values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _sized(upload: Any, *, field: str, name: str) -> tuple[Any, Any]:
    picture = images.open_upload(upload, kind=uploads.NEWS_IMAGE, field=field)
    return (
        images.fitted_jpeg(picture, LARGE, name=f"{name}.jpg"),
        images.fitted_jpeg(picture, SMALL, name=f"{name}-small.jpg"),
    )


def _check_text(*, title: str, body: str, category: str) -> None:
    if not title.strip():
        raise DomainError("title_required", _("A story needs a title."), field="title")
    if category not in Category.values:
        raise DomainError("category_unknown", _("Choose a category."), field="category")
    if len(body) > MAX_BODY_CHARS:
        raise DomainError(
            "body_too_long",
            _("The story is longer than %(n)s characters.") % {"n": MAX_BODY_CHARS},
            field="body",
        )


def _require_editable(by: User, story: Story) -> None:
    scope.require(by, ROLE, story.unit)
    if story.state not in EDITABLE and not scope.can(by, scope.UNIT_ADMIN, story.unit):
        raise Conflict(
            "story_not_editable",
            _("A submitted or published story is edited by the unit's admin only."),
        )


@transaction.atomic
def save_story(
    *,
    by: User,
    unit: Unit,
    title: str,
    summary: str,
    body: str,
    category: str,
    tags: str = "",
    cover: Any = None,
    publish_at: dt.datetime | None = None,
    story: Story | None = None,
) -> Story:
    """Write a new story of `unit` (a draft) or edit `story` while it is a draft or returned.
    The body is sanitised here, so every way in stores only safe HTML."""
    scope.require(by, ROLE, unit)
    _check_text(title=title, body=body, category=category)
    if story is not None:
        _require_editable(by, story)
    created = story is None
    if story is None:
        story = Story(unit=unit, created_by=by)
    story.title = title.strip()
    story.summary = summary.strip()
    story.body = sanitise.clean(body)
    story.category = category
    story.tags = ", ".join(dict.fromkeys(t.strip() for t in tags.split(",") if t.strip()))[:255]
    if publish_at is not None or story.state != State.PUBLISHED:
        story.publish_at = publish_at
    story.slug = _slug_for(story.unit, story.title, story.pk)
    if cover:
        story.cover, story.cover_small = _sized(cover, field="cover", name="cover")
    story.save()
    action = Action.STORY_CREATED if created else Action.STORY_EDITED
    log(by, action, story, {"unit": story.unit.code, "state": story.state})
    return story


@transaction.atomic
def add_image(*, by: User, story: Story, upload: Any, caption: str = "") -> StoryImage:
    scope.require(by, ROLE, story.unit)
    if story.images.count() >= MAX_GALLERY:
        raise DomainError(
            "gallery_full",
            _("A story has at most %(n)s photos.") % {"n": MAX_GALLERY},
            field="image",
        )
    large, small = _sized(upload, field="image", name="photo")
    image = StoryImage.objects.create(
        story=story,
        image=large,
        image_small=small,
        caption=caption.strip()[:200],
        position=story.images.count(),
    )
    log(by, Action.IMAGE_ADDED, story, {"image": image.pk})
    return image


@transaction.atomic
def remove_image(*, by: User, image: StoryImage) -> None:
    scope.require(by, ROLE, image.story.unit)
    log(by, Action.IMAGE_REMOVED, image.story, {"image": image.pk})
    image.delete()


def _stored(*files: Any) -> list[tuple[Any, str]]:
    """The storage and name of each file that is set, taken now: saving a new file into the same
    field changes the FieldFile's name in place."""
    return [(f.storage, f.name) for f in files if f]


def _delete_later(stored: list[tuple[Any, str]]) -> None:
    """Remove replaced files once the change is committed (kept if it rolls back)."""
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in stored])


@transaction.atomic
def set_video(*, by: User, story: Story, video: Any, poster: Any = None) -> Story:
    """Give `story` a video (MP4 or WebM, told by its bytes, within the news video ceiling) and
    optionally a poster picture, resized and stripped like the story's photos."""
    _require_editable(by, story)
    content_type = uploads.check_video(video, uploads.NEWS_VIDEO, field="video")
    # The poster is read before anything is stored: a bad picture leaves no video behind.
    poster_file = (
        images.fitted_jpeg(
            images.open_upload(poster, kind=uploads.NEWS_IMAGE, field="poster"),
            LARGE,
            name="poster.jpg",
        )
        if poster
        else None
    )
    replaced = _stored(story.video, *([story.video_poster] if poster_file else []))
    extension = "mp4" if content_type == uploads.MP4 else "webm"
    story.video.save(f"{uuid.uuid4().hex}.{extension}", video, save=False)
    story.video_type = content_type
    if poster_file is not None:
        story.video_poster.save(f"{uuid.uuid4().hex}.jpg", poster_file, save=False)
    story.save(update_fields=["video", "video_type", "video_poster", "updated_at"])
    _delete_later(replaced)
    log(by, Action.VIDEO_SET, story, {"type": content_type, "bytes": story.video.size})
    return story


@transaction.atomic
def remove_video(*, by: User, story: Story) -> Story:
    _require_editable(by, story)
    _delete_later(_stored(story.video, story.video_poster))
    story.video = story.video_poster = ""
    story.video_type = ""
    story.save(update_fields=["video", "video_type", "video_poster", "updated_at"])
    log(by, Action.VIDEO_REMOVED, story)
    return story


def _locked(story: Story) -> Story:
    return Story.objects.select_for_update().select_related("unit").get(pk=story.pk)


@transaction.atomic
def submit(*, by: User, story: Story) -> Story:
    scope.require(by, ROLE, story.unit)
    story = _locked(story)
    if story.state not in EDITABLE:
        raise Conflict("story_not_draft", _("Only a draft or a returned story can be submitted."))
    story.state = State.SUBMITTED
    story.save(update_fields=["state", "updated_at"])
    log(by, Action.STORY_SUBMITTED, story)
    return story


@transaction.atomic
def publish(*, by: User, story: Story, at: dt.datetime | None = None) -> Story:
    """Publish a submitted story now, or at `at` (scheduled: public once that time comes)."""
    scope.require(by, ROLE, story.unit)
    story = _locked(story)
    if story.state != State.SUBMITTED:
        raise Conflict("story_not_submitted", _("Only a submitted story can be published."))
    story.state = State.PUBLISHED
    story.publish_at = at or story.publish_at or timezone.now()
    story.return_comment = ""
    story.save(update_fields=["state", "publish_at", "return_comment", "updated_at"])
    log(by, Action.STORY_PUBLISHED, story, {"at": story.publish_at.isoformat()})
    return story


@transaction.atomic
def return_story(*, by: User, story: Story, comment: str) -> Story:
    scope.require(by, ROLE, story.unit)
    if not comment.strip():
        raise DomainError(
            "comment_required", _("Say what the writer should change."), field="comment"
        )
    story = _locked(story)
    if story.state not in (State.SUBMITTED, State.PUBLISHED):
        raise Conflict("story_not_submitted", _("Only a submitted story can be returned."))
    story.state = State.RETURNED
    story.return_comment = comment.strip()
    story.save(update_fields=["state", "return_comment", "updated_at"])
    log(by, Action.STORY_RETURNED, story, {"comment": story.return_comment})
    return story


@transaction.atomic
def feature(*, by: User, story: Story, unit: Unit) -> Feature:
    """`unit` shows a published story of a unit below it among its own featured stories."""
    scope.require(by, ROLE, unit)
    if not story.unit.path.startswith(unit.path):
        raise DomainError(
            "feature_outside", _("A unit features only stories of units below it."), field="unit"
        )
    if story.state != State.PUBLISHED:
        raise Conflict("story_not_published", _("Only a published story can be featured."))
    featured, _created = Feature.objects.get_or_create(story=story, unit=unit)
    log(by, Action.STORY_FEATURED, story, {"unit": unit.code})
    return featured


@transaction.atomic
def unfeature(*, by: User, story: Story, unit: Unit) -> None:
    scope.require(by, ROLE, unit)
    Feature.objects.filter(story=story, unit=unit).delete()
    log(by, Action.STORY_UNFEATURED, story, {"unit": unit.code})


@transaction.atomic
def save_portal(
    *, by: User, unit: Unit, show_figures: bool, phone: str, email: str, about: str
) -> Portal:
    scope.require(by, scope.UNIT_ADMIN, unit)
    portal, _created = Portal.objects.update_or_create(
        unit=unit,
        defaults={
            "show_figures": show_figures,
            "phone": phone.strip(),
            "email": email.strip(),
            "about": about.strip(),
        },
    )
    log(by, Action.PORTAL_CHANGED, unit, {"show_figures": show_figures})
    return portal


def count_view(*, story_pk: int) -> None:
    """A reader opened the story: one UPDATE … SET views = views + 1, no read-modify-write, so
    concurrent readers never lose a count. Not audited (readers are anonymous)."""
    Story.objects.filter(pk=story_pk).update(views=F("views") + 1)
