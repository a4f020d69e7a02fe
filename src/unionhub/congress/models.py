"""Congresses of a unit: sessions, delegations, delegates with signed cards, documents with
visibility rules, and check-ins per session (DESIGN §2)."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from unionhub.core.checkin import CheckInSource
from unionhub.core.text import fold, name_sort_key, nfc, text_sort_key
from unionhub.orgs.models import Unit


class QuorumBase(models.TextChoices):
    ELECTED = "elected", _("Elected delegates")
    OFFICIAL = "official", _("Official delegates (elected and ex officio)")


class Congress(models.Model):
    """A unit's congress for a term, e.g. "19th Congress, 2023–2028"."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="congresses"
    )
    name = models.CharField(_("name"), max_length=200)
    term = models.CharField(_("term"), max_length=20, help_text=_("For example 2023–2028."))
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    notices = models.TextField(
        _("notices"), blank=True, help_text=_("Shown to every delegate on their page.")
    )
    # Quorum: present > numerator/denominator of the base (strictly more, as congress rules say
    # "more than two thirds"). Kept as numbers so each congress may set its own rule.
    quorum_base = models.CharField(
        _("quorum counted on"), max_length=10, choices=QuorumBase.choices, default="elected"
    )
    quorum_numerator = models.PositiveSmallIntegerField(_("quorum numerator"), default=2)
    quorum_denominator = models.PositiveSmallIntegerField(_("quorum denominator"), default=3)
    # The last card number given out; locked with select_for_update so numbers never repeat.
    last_number = models.PositiveIntegerField(_("last card number"), default=0, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("congress")
        verbose_name_plural = _("congresses")
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quorum_denominator__gt=0)
                & Q(quorum_numerator__lte=models.F("quorum_denominator")),
                name="congress_quorum_fraction",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.term})"


class SessionKind(models.TextChoices):
    PREPARATORY = "preparatory", _("Preparatory session")
    OFFICIAL = "official", _("Official session")
    CLOSING = "closing", _("Closing session")


class StreamStatus(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    LIVE = "live", _("Live now")
    ENDED = "ended", _("Ended")
    RECORDING = "recording", _("Recording available")


# Stream and recording links open on phones and LED walls: web links only, never javascript:,
# data: or ftp: (Django's URLValidator would take ftp).
WEB_LINK = URLValidator(schemes=["http", "https"])


class Session(models.Model):
    congress = models.ForeignKey(
        Congress, verbose_name=_("congress"), on_delete=models.CASCADE, related_name="sessions"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=SessionKind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=255, blank=True)
    # The live stream (issue #17): where the session is watched, and how it stands.
    stream_facebook = models.URLField(
        _("Facebook page stream"), max_length=500, blank=True, validators=[WEB_LINK]
    )
    stream_newspaper = models.URLField(
        _("newspaper platform stream"), max_length=500, blank=True, validators=[WEB_LINK]
    )
    stream_youtube = models.URLField(
        _("YouTube stream"), max_length=500, blank=True, validators=[WEB_LINK]
    )
    stream_status = models.CharField(
        _("stream status"),
        max_length=10,
        choices=StreamStatus.choices,
        default=StreamStatus.UPCOMING,
    )
    recording_url = models.URLField(
        _("recording link"), max_length=500, blank=True, validators=[WEB_LINK]
    )

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def stream_links(self) -> list[tuple[str, str]]:
        """The session's stream links as (label, url), the first one the QR code's."""
        return [
            (str(label), url)
            for label, url in (
                (_("Facebook"), self.stream_facebook),
                (_("Newspaper"), self.stream_newspaper),
                (_("YouTube"), self.stream_youtube),
            )
            if url
        ]

    @property
    def stream_url(self) -> str:
        """What the QR code opens: the live stream, or once it is over, its recording."""
        if self.stream_status == StreamStatus.RECORDING:
            return self.recording_url
        if self.stream_status == StreamStatus.LIVE and self.stream_links:
            return self.stream_links[0][1]
        return ""


class Delegation(models.Model):
    """A group of delegates, usually one per upper unit (the unit is optional)."""

    congress = models.ForeignKey(
        Congress, verbose_name=_("congress"), on_delete=models.CASCADE, related_name="delegations"
    )
    name = models.CharField(_("name"), max_length=255)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.SET_NULL
    )
    sort_key = models.CharField(max_length=512, editable=False)

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "name"], name="delegation_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name = nfc(self.name)
        self.sort_key = text_sort_key(self.name)
        super().save(*args, **kwargs)


class Category(models.TextChoices):
    ELECTED = "elected", _("Elected delegate")
    EX_OFFICIO = "ex_officio", _("Ex officio delegate")
    INVITED = "invited", _("Invited guest")


# Badge colours per category, printed on cards and shown at the station.
CATEGORY_COLOURS = {
    Category.ELECTED: "#b3261e",
    Category.EX_OFFICIO: "#1d4e89",
    Category.INVITED: "#2e7d32",
}
OFFICIAL_CATEGORIES = (Category.ELECTED, Category.EX_OFFICIO)


class Delegate(models.Model):
    """A person with a card for the congress. When linked to a member, the photo and the unit
    come from the member record; otherwise from the fields here."""

    congress = models.ForeignKey(
        Congress, verbose_name=_("congress"), on_delete=models.CASCADE, related_name="delegates"
    )
    number = models.PositiveIntegerField(_("card number"))
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    delegation = models.ForeignKey(
        Delegation,
        verbose_name=_("delegation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="delegates",
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="congress_delegates",
    )
    full_name = models.CharField(_("full name"), max_length=150)
    position = models.CharField(_("position"), max_length=255, blank=True)
    organisation = models.CharField(
        _("organisation"),
        max_length=255,
        blank=True,
        help_text=_("For delegates who are not members."),
    )
    seat = models.CharField(_("seat"), max_length=20, blank=True)
    group = models.CharField(_("group"), max_length=60, blank=True)
    presidium = models.BooleanField(_("member of the presidium"), default=False)
    # The serial inside the card's signed token: re-issuing a lost card bumps it, so the old
    # card's token no longer matches; `revoked` refuses every token of this delegate.
    token_serial = models.PositiveIntegerField(_("card serial"), default=1)
    revoked = models.BooleanField(_("card revoked"), default=False)
    name_folded = models.CharField(max_length=150, db_index=True, editable=False)
    sort_key = models.CharField(max_length=400, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("delegate")
        verbose_name_plural = _("delegates")
        ordering = ["sort_key", "id"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "number"], name="delegate_unique_number"),
            models.UniqueConstraint(
                fields=["congress", "member"],
                condition=Q(member__isnull=False),
                name="delegate_member_once_per_congress",
            ),
        ]
        indexes = [models.Index(fields=["congress", "category"])]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.full_name = nfc(self.full_name)
        self.name_folded = fold(self.full_name)
        self.sort_key = name_sort_key(self.full_name)
        super().save(*args, **kwargs)

    @property
    def colour(self) -> str:
        return CATEGORY_COLOURS[Category(self.category)]

    @property
    def is_official(self) -> bool:
        return self.category in OFFICIAL_CATEGORIES

    @property
    def photo(self):
        """The member's photo thumbnail (a FieldFile), or None."""
        if self.member_id and self.member.photo_thumb:
            return self.member.photo_thumb
        return None

    @property
    def affiliation(self) -> str:
        if self.member is not None:
            return self.member.unit.name
        return self.organisation


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Everyone with a card")
    DELEGATES = "delegates", _("Official delegates only")
    PRESIDIUM = "presidium", _("Presidium only")


def document_path(document: Document, filename: str) -> str:
    return f"congress/{document.congress_id}/{uuid.uuid4().hex}.pdf"


class Document(models.Model):
    congress = models.ForeignKey(
        Congress, verbose_name=_("congress"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=255)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.DELEGATES
    )
    file = models.FileField(_("PDF file"), upload_to=document_path)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    updated = models.DateTimeField(_("updated"))
    # Counted per document, not per person: delegates' reading is not tracked individually.
    views = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_updated(self) -> bool:
        return self.version > 1


class CheckIn(models.Model):
    """A delegate's presence at a session; at most one per delegate and session (the database
    says so, so two stations scanning the same card at once make one row)."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="checkins"
    )
    delegate = models.ForeignKey(
        Delegate, verbose_name=_("delegate"), on_delete=models.CASCADE, related_name="checkins"
    )
    at = models.DateTimeField(_("checked in at"))
    source = models.CharField(_("source"), max_length=10, choices=CheckInSource.choices)
    station = models.CharField(_("station"), max_length=60, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-at"]
        constraints = [
            models.UniqueConstraint(fields=["session", "delegate"], name="checkin_once"),
        ]

    def __str__(self) -> str:
        return f"{self.delegate} @ {self.session}"
