"""Members, their membership events (the source of truth) and the periods derived from them."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionhub.core.text import fold, name_sort_key, nfc, split_full_name
from unionhub.orgs.models import Unit


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class IdKind(models.TextChoices):
    CCCD = "cccd", _("Citizen ID (12 digits)")
    CMND = "cmnd", _("Legacy ID (9 digits)")
    PASSPORT = "passport", _("Passport")


class MemberState(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    LEFT = "left", _("Left")
    RETIRED = "retired", _("Retired")
    DECEASED = "deceased", _("Deceased")


# States in which a person holds a membership: one such membership per identity document.
HOLDING_STATES = (MemberState.ACTIVE, MemberState.SUSPENDED)

# What a complete profile has: the federations' "100 % updated" counts members with all of these.
COMPLETENESS_FIELDS = (
    "photo",
    "id_number",
    "birth_date",
    "joined",
    "gender",
    "ethnicity",
    "religion",
    "home_town",
    "address",
    "phone",
    "education",
    "qualification",
    "occupation",
    "workplace",
)
# Shown only to roles that need them, and every view of them is logged (DESIGN §2).
SENSITIVE_FIELDS = ("ethnicity", "religion")


def photo_path(member: Member, filename: str) -> str:
    return f"members/photos/{uuid.uuid4().hex}.jpg"


def thumb_path(member: Member, filename: str) -> str:
    return f"members/thumbs/{uuid.uuid4().hex}.jpg"


class Member(models.Model):
    """A union member's profile. `state`, `state_since` and `unit` are a cache of the events,
    written by the services in the same transaction as the event that changes them."""

    public_id = models.UUIDField(_("public key"), default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="members"
    )
    full_name = models.CharField(_("full name"), max_length=150)
    family_name = models.CharField(_("family name"), max_length=50, editable=False)
    middle_name = models.CharField(_("middle name"), max_length=80, editable=False)
    given_name = models.CharField(_("given name"), max_length=50, editable=False)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    id_kind = models.CharField(
        _("identity document"), max_length=10, choices=IdKind.choices, default=IdKind.CCCD
    )
    id_number = models.CharField(_("document number"), max_length=20, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=50, blank=True)
    religion = models.CharField(_("religion"), max_length=50, blank=True)
    nationality = models.CharField(_("nationality"), max_length=50, blank=True, default="Việt Nam")
    home_town = models.CharField(_("home town"), max_length=255, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    education = models.CharField(_("general education"), max_length=50, blank=True)
    qualification = models.CharField(_("professional qualification"), max_length=100, blank=True)
    political_theory = models.CharField(_("political theory"), max_length=50, blank=True)
    occupation = models.CharField(_("occupation"), max_length=100, blank=True)
    employer = models.CharField(_("employer"), max_length=255, blank=True)
    workplace = models.CharField(_("workplace"), max_length=255, blank=True)
    # Ngày vào Công đoàn: when the person joined the trade union, wherever that was. A fact about
    # the person, kept through transfers, reorganisations and re-admission; bounded by working
    # age and today, never by the dates of the unit that holds them now (DESIGN §2).
    joined = models.DateField(_("union join date"))
    admission_decision = models.CharField(_("admission decision"), max_length=100, blank=True)
    photo = models.ImageField(_("photo"), upload_to=photo_path, blank=True)
    photo_thumb = models.ImageField(_("photo thumbnail"), upload_to=thumb_path, blank=True)

    state = models.CharField(
        _("status"), max_length=12, choices=MemberState.choices, default=MemberState.ACTIVE
    )
    state_since = models.DateField(_("status since"))
    completeness = models.PositiveSmallIntegerField(_("profile completeness (%)"), default=0)
    # Optimistic locking: every save through the services bumps it; a stale form is refused.
    version = models.PositiveIntegerField(_("version"), default=1)
    # Searched through the word-start indexes (migrations 0006/0007) or FTS5, not a B-tree of
    # its own (migration 0008).
    name_folded = models.CharField(max_length=150, editable=False)
    sort_key = models.CharField(max_length=400, editable=False)
    # What the search box matches: " <folded name> <document number> <phone>", computed by the
    # database so bulk inserts and updates keep it right. The leading space lets " an" find a
    # word starting with "an" anywhere, the first included. Indexed by pg_trgm on PostgreSQL
    # and by an FTS5 trigram table on SQLite (migration 0002).
    search_text = models.GeneratedField(
        expression=Concat(Value(" "), "name_folded", Value(" "), "id_number", Value(" "), "phone"),
        output_field=models.TextField(),
        db_persist=True,
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["sort_key", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_kind", "id_number"],
                condition=Q(state__in=["active", "suspended"]) & ~Q(id_number=""),
                name="member_one_holding_membership_per_document",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "state", "sort_key"]),
            models.Index(fields=["id_number"]),
            models.Index(fields=["phone"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        (
            self.full_name,
            self.family_name,
            self.middle_name,
            self.given_name,
            self.name_folded,
            self.sort_key,
        ) = self.derive_name_fields(self.full_name)
        super().save(*args, **kwargs)

    @staticmethod
    def derive_name_fields(full_name: str) -> tuple[str, str, str, str, str, str]:
        """The name columns kept from the full name: (full_name in NFC, family_name,
        middle_name, given_name, name_folded, sort_key). save() stores them; bulk writers that
        skip save() must store the same."""
        full_name = nfc(full_name)
        family, middle, given = split_full_name(full_name)
        return full_name, family, middle, given, fold(full_name), name_sort_key(full_name)

    @property
    def holds_membership(self) -> bool:
        return self.state in HOLDING_STATES

    def missing_fields(self) -> list[str]:
        return [name for name in COMPLETENESS_FIELDS if not getattr(self, name)]

    def years_of_membership(self, today: dt.date | None = None) -> int:
        """Whole years since the union join date."""
        today = today or timezone.localdate()
        joined = self.joined
        return today.year - joined.year - ((today.month, today.day) < (joined.month, joined.day))

    def compute_completeness(self) -> int:
        """Share (0–100) of COMPLETENESS_FIELDS filled in."""
        filled = len(COMPLETENESS_FIELDS) - len(self.missing_fields())
        return round(100 * filled / len(COMPLETENESS_FIELDS))


class Entry(models.TextChoices):
    """The two ways a person comes onto a unit's books (the admit form and the API offer both)."""

    ADMIT = "admit", _("Admit a new member: they join the union now")
    RECORD = "record", _("Record an existing member: they joined the union before")


class EventKind(models.TextChoices):
    ADMITTED = "admitted", _("Admitted")
    # An existing member put on a unit's books (ghi nhận): never a new admission.
    RECORDED = "recorded", _("Recorded as an existing member")
    TRANSFERRED_OUT = "transferred_out", _("Transferred out")
    TRANSFERRED_IN = "transferred_in", _("Transferred in")
    SUSPENDED = "suspended", _("Suspended")
    RESUMED = "resumed", _("Resumed")
    LEFT = "left", _("Left")
    RETIRED = "retired", _("Retired")
    DECEASED = "deceased", _("Deceased")
    REINSTATED = "reinstated", _("Reinstated")


class LeaveReason(models.TextChoices):
    RESIGNED = "resigned", _("Resigned")
    STRUCK_OFF = "struck_off", _("Struck off")
    EXPELLED = "expelled", _("Expelled")
    JOB_ENDED = "job_ended", _("Left the job")
    OTHER = "other", _("Other")


class MembershipEvent(models.Model):
    """One fact of a member's history; nothing is overwritten, the member's state derives from it.

    A transfer (and a move by a reorganisation) is a pair: TRANSFERRED_OUT at the old unit and
    TRANSFERRED_IN at the new one, on the same date; `reorganisation` marks the pair made by a
    change of the tree rather than by the member.
    """

    # The member's and the unit's look-ups use the (member, date) and (unit, date, kind)
    # indexes below; a single-column index each would only slow every write.
    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="events",
        db_index=False,
    )
    kind = models.CharField(_("event"), max_length=20, choices=EventKind.choices)
    date = models.DateField(_("date"))
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="membership_events",
        db_index=False,
    )
    other_unit = models.ForeignKey(
        Unit,
        verbose_name=_("other unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=20, choices=LeaveReason.choices, blank=True)
    reorganisation = models.BooleanField(_("by reorganisation"), default=False)
    decision = models.CharField(_("decision reference"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership event")
        verbose_name_plural = _("membership events")
        ordering = ["member", "date", "id"]
        indexes = [
            models.Index(fields=["unit", "date", "kind"]),
            models.Index(fields=["member", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_kind_display()} · {self.date}"


class MembershipPeriod(models.Model):
    """A stretch of holding membership in one unit: [start, end). Derived from the events by the
    services in the same transaction, so "members of U on D" is one indexed range query."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="periods"
    )
    # Served by the (unit, start, end) index below.
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="membership_periods",
        db_index=False,
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership period")
        verbose_name_plural = _("membership periods")
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(end__isnull=True), name="period_one_open"
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=models.F("start")), name="period_range"
            ),
        ]
        indexes = [models.Index(fields=["unit", "start", "end"])]

    def __str__(self) -> str:
        return f"{self.member} @ {self.unit} [{self.start}, {self.end or '…'})"


class TransferStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the other unit")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class Transfer(models.Model):
    """A request to move a member between units; the member stays until the other side accepts."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="transfers"
    )
    from_unit = models.ForeignKey(
        Unit, verbose_name=_("from unit"), on_delete=models.PROTECT, related_name="+"
    )
    to_unit = models.ForeignKey(
        Unit, verbose_name=_("to unit"), on_delete=models.PROTECT, related_name="+"
    )
    effective = models.DateField(_("effective from"))
    requested_by_receiver = models.BooleanField(_("requested by the receiving unit"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=TransferStatus.choices, default=TransferStatus.PENDING
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(status=TransferStatus.PENDING),
                name="transfer_one_pending_per_member",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.from_unit} → {self.to_unit}"
