"""Every change to screens and their playlists. Keyword-only, atomic, audited, and scoped to the
congress organiser role at the screen's unit (a unit admin holds it too)."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from unionhub.audit.services import log
from unionhub.congress.models import Congress, Session
from unionhub.core import registry, scope
from unionhub.core.errors import DomainError
from unionhub.core.text import nfc
from unionhub.core.types import User
from unionhub.display import images, selectors
from unionhub.display.actions import Action
from unionhub.display.models import (
    KIND_FIELDS,
    MAX_DURATION,
    MIN_DURATION,
    Breakdown,
    Screen,
    Slide,
    SlideKind,
)
from unionhub.display.selectors import (
    SEEN_TTL,
    BreakdownFigures,
    MembershipFigures,
    seen_key,
    token_hash,
)
from unionhub.orgs.models import Unit

ROLE = scope.CONGRESS_ORGANISER
# Membership figures move slowly and cost a scan of the subtree's periods: a screen polling
# every few seconds, and every officer opening the home page, share one computation a minute.
FIGURES_TTL = 60
SCHEDULE_FIELDS = ("shows_from", "shows_until", "daily_from", "daily_until")
COMMON_FIELDS = ("title", "duration", "enabled", *SCHEDULE_FIELDS)
CONTENT_FIELDS = ("unit", "breakdown", "congress", "session", "body", "image", "url")


def _new_token() -> tuple[str, str]:
    """A link secret of 192 random bits and its SHA-256, which is all the database keeps."""
    token = secrets.token_urlsafe(24)
    return token, token_hash(token)


# Screens -----------------------------------------------------------------------------------


def _clean_name(name: str) -> str:
    name = nfc(name).strip()
    if not name:
        raise DomainError("name_required", _("Give the screen a name."), field="name")
    return name


@transaction.atomic
def screen_create(*, unit: Unit, name: str, by: User) -> tuple[Screen, str]:
    """A new screen of `unit`; returns it with its secret link token, shown only this once."""
    scope.require(by, ROLE, unit)
    if unit.dissolved is not None:
        raise DomainError("unit_dissolved", _("A dissolved unit cannot have a screen."))
    token, digest = _new_token()
    screen = Screen.objects.create(
        unit=unit,
        name=_clean_name(name),
        token_hash=digest,
        created_by=by,
        link_issued=timezone.now(),
    )
    log(by, Action.SCREEN_CREATED, screen, {"unit": unit.code, "name": screen.name})
    return screen, token


@transaction.atomic
def screen_rename(*, screen: Screen, name: str, by: User) -> Screen:
    scope.require(by, ROLE, screen.unit)
    before, screen.name = screen.name, _clean_name(name)
    screen.save(update_fields=["name"])
    log(by, Action.SCREEN_RENAMED, screen, {"before": before, "after": screen.name})
    return screen


@transaction.atomic
def screen_link_rotate(*, screen: Screen, by: User) -> str:
    """Revoke the screen's link and issue a new one: the old link shows nothing from now on,
    and a wall still open on it goes blank at its next poll."""
    scope.require(by, ROLE, screen.unit)
    token, screen.token_hash = _new_token()
    screen.link_issued = timezone.now()
    screen.save(update_fields=["token_hash", "link_issued"])
    log(by, Action.SCREEN_LINK_ROTATED, screen, {})
    return token


@transaction.atomic
def screen_delete(*, screen: Screen, by: User) -> None:
    scope.require(by, ROLE, screen.unit)
    log(by, Action.SCREEN_DELETED, screen, {"name": screen.name, "unit": screen.unit.code})
    files = [s.image.name for s in screen.slides.exclude(image="")]
    screen.delete()
    transaction.on_commit(lambda: _delete_files(files))


def _delete_files(names: list[str | None]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        if name:
            default_storage.delete(name)


# Slides ------------------------------------------------------------------------------------


def _check_common(data: dict[str, Any]) -> None:
    duration = data.get("duration")
    if duration is None or not MIN_DURATION <= duration <= MAX_DURATION:
        raise DomainError(
            "duration_out_of_range",
            _("A slide lasts between %(low)d and %(high)d seconds.")
            % {"low": MIN_DURATION, "high": MAX_DURATION},
            field="duration",
        )
    start, end = data.get("shows_from"), data.get("shows_until")
    if start and end and end <= start:
        raise DomainError(
            "schedule_ends_before_start",
            _("The slide must stop showing after it starts."),
            field="shows_until",
        )
    if (data.get("daily_from") is None) != (data.get("daily_until") is None):
        raise DomainError(
            "daily_window_incomplete",
            _("Give both ends of the daily window, or neither."),
            field="daily_until",
        )
    if data.get("daily_from") is not None and data["daily_from"] == data["daily_until"]:
        raise DomainError(
            "daily_window_empty",
            _("The daily window must not start and end at the same time."),
            field="daily_until",
        )


def _inside(screen: Screen, unit: Unit) -> bool:
    return unit.path.startswith(screen.unit.path)


def _check_content(screen: Screen, kind: str, data: dict[str, Any], by: User) -> None:
    """Each kind has what it needs, and everything it shows lies inside the screen's unit."""
    if kind in (SlideKind.MEMBERSHIP, SlideKind.BREAKDOWN):
        unit = data.get("unit")
        if unit is None:
            raise DomainError("unit_required", _("Choose the unit to show."), field="unit")
        if not _inside(screen, unit) or not scope.can(by, None, unit):
            raise DomainError(
                "unit_outside_screen",
                _("%(unit)s is not inside %(screen_unit)s.")
                % {"unit": unit.name, "screen_unit": screen.unit.name},
                field="unit",
            )
    if kind == SlideKind.BREAKDOWN and data.get("breakdown") not in Breakdown.values:
        raise DomainError(
            "breakdown_required", _("Choose how to break the members down."), field="breakdown"
        )
    if kind in (SlideKind.ATTENDANCE, SlideKind.PROGRAMME):
        congress: Congress | None = data.get("congress")
        if congress is None:
            raise DomainError("congress_required", _("Choose the congress."), field="congress")
        if not _inside(screen, congress.unit):
            raise DomainError(
                "congress_outside_screen",
                _("This congress is not held by %(unit)s or a unit under it.")
                % {"unit": screen.unit.name},
                field="congress",
            )
        session: Session | None = data.get("session")
        if session is not None and session.congress_id != congress.pk:
            raise DomainError(
                "session_other_congress",
                _("This session belongs to another congress."),
                field="session",
            )
    if kind == SlideKind.TEXT and not (data.get("body") or "").strip() and not data.get("image"):
        raise DomainError("text_required", _("Write a text or add an image."), field="body")
    if kind == SlideKind.QR:
        url = (data.get("url") or "").strip()
        if not url.startswith(("https://", "http://")):
            raise DomainError(
                "url_required", _("Give the web address the QR code opens."), field="url"
            )


def _check_params(screen: Screen, kind: str, params: Any, by: User) -> dict[str, Any]:
    """A contributed kind's choices, checked by the app that draws it; {} for display's own."""
    source = registry.slide_sources().get(kind)
    if source is None:
        return {}
    return source.check(dict(params or {}), user=by, unit=screen.unit)


def _apply(slide: Slide, kind: str, data: dict[str, Any]) -> None:
    """Set the common fields and the kind's own; the other kinds' fields are cleared."""
    wanted = KIND_FIELDS.get(kind, ())
    text_fields = ("breakdown", "body", "url")
    for name in COMMON_FIELDS:
        if name in data:
            value = data[name]
            setattr(slide, name, nfc(value).strip() if isinstance(value, str) else value)
    for name in CONTENT_FIELDS:
        if name == "image":
            continue
        if name in text_fields:
            setattr(slide, name, nfc(data.get(name) or "").strip() if name in wanted else "")
        else:
            setattr(slide, name, data.get(name) if name in wanted else None)
    if kind == SlideKind.BREAKDOWN and not slide.breakdown:
        slide.breakdown = Breakdown.UNITS


def _describe(slide: Slide) -> dict[str, Any]:
    return {
        "kind": slide.kind,
        "title": slide.title,
        "duration": slide.duration,
        "enabled": slide.enabled,
        "unit": slide.unit.code if slide.unit else None,
        "congress": slide.congress_id,
        "session": slide.session_id,
        "url": slide.url,
        "params": slide.params,
        "schedule": [
            str(getattr(slide, f)) if getattr(slide, f) else None for f in SCHEDULE_FIELDS
        ],
    }


@transaction.atomic
def slide_add(
    *, screen: Screen, kind: str, by: User, params: dict[str, Any] | None = None, **data: Any
) -> Slide:
    """Append a slide of `kind` to the screen's playlist. `data` holds the common fields
    (title, duration, enabled, schedule) and the kind's own (see models.KIND_FIELDS); a kind
    another app contributes (core.registry.SlideSource) takes its choices as `params`."""
    scope.require(by, ROLE, screen.unit)
    if kind not in SlideKind.values and kind not in registry.slide_sources():
        raise DomainError("unknown_slide_kind", _("Unknown kind of slide."), field="kind")
    data.setdefault("duration", 15)
    data.setdefault("enabled", True)
    _check_common(data)
    _check_content(screen, kind, data, by)
    checked = _check_params(screen, kind, params, by)
    last = screen.slides.aggregate(last=Max("position"))["last"]
    slide = Slide(
        screen=screen, kind=kind, position=0 if last is None else last + 1, params=checked
    )
    _apply(slide, kind, data)
    new_file = _set_image(slide, kind, data.get("image"))
    try:
        slide.save()
    except Exception:
        _delete_files([new_file] if new_file else [])
        raise
    log(by, Action.SLIDE_ADDED, screen, {"slide": slide.pk, **_describe(slide)})
    return slide


def _set_image(slide: Slide, kind: str, upload: Any) -> str | None:
    """Store a processed upload on `slide`; returns the new file's name (to remove it if the
    row is not written: files are not transactional)."""
    if kind != SlideKind.TEXT:
        if slide.image:
            old = slide.image.name
            transaction.on_commit(lambda: _delete_files([old]))
        slide.image = ""
        return None
    if not upload:
        return None
    processed = images.process(upload)
    if slide.image:
        old = slide.image.name
        transaction.on_commit(lambda: _delete_files([old]))
    slide.image.save("slide.jpg", processed, save=False)
    return slide.image.name


@transaction.atomic
def slide_update(
    *,
    slide: Slide,
    by: User,
    remove_image: bool = False,
    params: dict[str, Any] | None = None,
    **data: Any,
) -> Slide:
    """Change a slide; its kind stays. An `image` upload replaces the picture; `params`, when
    given, replace a contributed kind's choices."""
    slide = Slide.objects.select_for_update().select_related("screen__unit").get(pk=slide.pk)
    screen = slide.screen
    scope.require(by, ROLE, screen.unit)
    upload = data.pop("image", None)
    merged = {name: getattr(slide, name) for name in (*COMMON_FIELDS, *CONTENT_FIELDS)}
    merged.update(data)
    merged["image"] = upload or (None if remove_image else slide.image)
    _check_common(merged)
    _check_content(screen, slide.kind, merged, by)
    checked = _check_params(screen, slide.kind, slide.params if params is None else params, by)
    before = _describe(slide)
    _apply(slide, slide.kind, merged)
    slide.params = checked
    if remove_image and slide.image:
        old = slide.image.name
        transaction.on_commit(lambda: _delete_files([old]))
        slide.image = ""
    new_file = _set_image(slide, slide.kind, upload)
    try:
        slide.save()
    except Exception:
        _delete_files([new_file] if new_file else [])
        raise
    log(
        by,
        Action.SLIDE_UPDATED,
        screen,
        {"slide": slide.pk, "before": before, "after": _describe(slide)},
    )
    return slide


@transaction.atomic
def slide_move(*, slide: Slide, by: User, offset: int) -> Slide:
    """Move a slide `offset` places up (negative) or down the playlist; positions are
    renumbered 0…n−1 so they stay dense whatever was deleted before."""
    screen = Screen.objects.select_for_update().select_related("unit").get(pk=slide.screen_id)
    scope.require(by, ROLE, screen.unit)
    order = list(screen.slides.order_by("position", "id"))
    index = next(i for i, s in enumerate(order) if s.pk == slide.pk)
    target = max(0, min(len(order) - 1, index + offset))
    order.insert(target, order.pop(index))
    for position, item in enumerate(order):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position", "updated"])
    log(by, Action.SLIDE_MOVED, screen, {"slide": slide.pk, "from": index, "to": target})
    return order[target]


@transaction.atomic
def slide_delete(*, slide: Slide, by: User) -> None:
    screen = slide.screen
    scope.require(by, ROLE, screen.unit)
    log(by, Action.SLIDE_DELETED, screen, {"slide": slide.pk, **_describe(slide)})
    files = [slide.image.name] if slide.image else []
    slide.delete()
    transaction.on_commit(lambda: _delete_files(files))


def screen_seen(screen: Screen) -> None:
    """Remember when the kiosk last fetched its playlist (in the cache, not a database write
    every few seconds)."""
    cache.set(seen_key(screen), timezone.now(), SEEN_TTL)


# Figures kept a minute --------------------------------------------------------------------


def membership_figures_kept(*, unit: Unit, today: dt.date) -> MembershipFigures:
    """selectors.membership_figures, computed once a minute per unit and day (the path is in
    the key: a unit moved in the tree counts its new subtree at once)."""
    key = f"display:membership:{unit.pk}:{unit.path}:{today.isoformat()}"
    kept: MembershipFigures | None = cache.get(key)
    if kept is not None:
        return kept
    figures = selectors.membership_figures(unit=unit, today=today)
    cache.set(key, figures, FIGURES_TTL)
    return figures


def breakdown_figures_kept(*, unit: Unit, by: str, today: dt.date) -> BreakdownFigures:
    key = f"display:breakdown:{by}:{unit.pk}:{unit.path}:{today.isoformat()}"
    kept: BreakdownFigures | None = cache.get(key)
    if kept is not None:
        return kept
    figures = selectors.breakdown_figures(unit=unit, by=by, today=today)
    cache.set(key, figures, FIGURES_TTL)
    return figures
