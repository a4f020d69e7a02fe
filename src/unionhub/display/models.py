"""Screens (an LED wall, a lobby TV) and their playlists of slides (issue 8)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from unionhub.core import registry
from unionhub.orgs.models import Unit

MIN_DURATION = 1
MAX_DURATION = 3600


class Screen(models.Model):
    """A display reached without login by a secret link. Only the link's SHA-256 is stored: a
    database dump does not give the link away, and revoking is replacing the hash."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="screens"
    )
    name = models.CharField(_("name"), max_length=120)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    link_issued = models.DateTimeField(_("link issued"))

    class Meta:
        verbose_name = _("screen")
        verbose_name_plural = _("screens")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class SlideKind(models.TextChoices):
    MEMBERSHIP = "membership", _("Membership totals and growth")
    BREAKDOWN = "breakdown", _("Members by unit or sector (chart)")
    ATTENDANCE = "attendance", _("Congress attendance (live)")
    PROGRAMME = "programme", _("Congress programme (now and next)")
    TEXT = "text", _("Text and image (news)")
    QR = "qr", _("QR code: scan for the documents")


# What each kind of slide needs besides the common fields.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    SlideKind.MEMBERSHIP: ("unit",),
    SlideKind.BREAKDOWN: ("unit", "breakdown"),
    SlideKind.ATTENDANCE: ("congress", "session"),
    SlideKind.PROGRAMME: ("congress",),
    SlideKind.TEXT: ("body", "image"),
    SlideKind.QR: ("url", "body"),
}
# Slides whose figures change by the second: the kiosk polls faster while it has one.
LIVE_KINDS = (SlideKind.ATTENDANCE, SlideKind.PROGRAMME)


class Breakdown(models.TextChoices):
    UNITS = "units", _("By sub-unit (e.g. district)")
    SECTOR = "sector", _("By sector")


def image_path(slide: Slide, filename: str) -> str:
    return f"display/{uuid.uuid4().hex}.jpg"


class Slide(models.Model):
    screen = models.ForeignKey(
        Screen, verbose_name=_("screen"), on_delete=models.CASCADE, related_name="slides"
    )
    position = models.PositiveIntegerField(pgettext_lazy("slide", "position"), default=0)
    # One of SlideKind, or the kind of a SlideSource an upper app contributes (core.registry):
    # the choices are not fixed here, the services check them.
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=200, blank=True)
    duration = models.PositiveSmallIntegerField(
        _("duration (seconds)"),
        default=15,
        validators=[MinValueValidator(MIN_DURATION), MaxValueValidator(MAX_DURATION)],
    )
    enabled = models.BooleanField(_("shown"), default=True)
    # The optional schedule: between two moments, and/or within a daily time window.
    shows_from = models.DateTimeField(_("show from"), null=True, blank=True)
    shows_until = models.DateTimeField(_("show until"), null=True, blank=True)
    daily_from = models.TimeField(_("daily from"), null=True, blank=True)
    daily_until = models.TimeField(_("daily until"), null=True, blank=True)

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    breakdown = models.CharField(
        _("breakdown"), max_length=10, choices=Breakdown.choices, blank=True
    )
    congress = models.ForeignKey(
        "congress.Congress",
        verbose_name=_("congress"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    session = models.ForeignKey(
        "congress.Session",
        verbose_name=_("session"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Leave empty to follow the session that is on now."),
    )
    body = models.TextField(_("text"), blank=True)
    image = models.ImageField(_("image"), upload_to=image_path, blank=True)
    url = models.URLField(_("link of the QR code"), max_length=500, blank=True)
    # The choices of a contributed kind (SlideSource.params): ids and words, never objects.
    params = models.JSONField(_("settings of the slide"), default=dict, blank=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("slide")
        verbose_name_plural = _("slides")
        ordering = ["screen", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration__gte=MIN_DURATION) & Q(duration__lte=MAX_DURATION),
                name="slide_duration_range",
            ),
            models.CheckConstraint(
                condition=Q(shows_until__isnull=True)
                | Q(shows_from__isnull=True)
                | Q(shows_until__gt=models.F("shows_from")),
                name="slide_schedule_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title or str(self.kind_label)

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)


def kind_label(kind: str) -> str:
    """Display's own kinds by their label; contributed kinds by their source's."""
    if kind in SlideKind.values:
        return str(SlideKind(kind).label)
    source = registry.slide_sources().get(kind)
    return str(source.label) if source is not None else kind
