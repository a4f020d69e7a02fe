"""Personal data under Decree 13/2023 and Law 91/2025: a member's consents (when and how given,
when withdrawn), the member's own sign-ins and correction requests, and the breach register."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from unionhub.members.models import Member
from unionhub.orgs.models import Unit


class Purpose(models.TextChoices):
    REGISTRY = "registry", _("Keeping the member registry")
    PHOTO = "photo", _("Photo on the membership card and its public check")
    PUBLIC = "public", _("Name shown on public pages")
    CONTACT = "contact", _("Contact by SMS or e-mail")


class Method(models.TextChoices):
    PAPER = "paper", _("Signed paper form")
    IN_PERSON = "in_person", _("Given in person")


class Consent(models.Model):
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="consents"
    )
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices)
    given_on = models.DateField(_("given on"))
    method = models.CharField(_("how it was given"), max_length=12, choices=Method.choices)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_on", "-id"]
        constraints = [
            # A purpose has at most one standing consent; a new one follows a withdrawal.
            models.UniqueConstraint(
                fields=["member", "purpose"],
                condition=Q(withdrawn_on__isnull=True),
                name="privacy_one_standing_consent_per_purpose",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.get_purpose_display()}"

    @property
    def standing(self) -> bool:
        return self.withdrawn_on is None


class DataClass(models.TextChoices):
    """The classes of a member's data that retention rules (settings.PRIVACY_RETENTION_YEARS)
    are set for; each names the Member fields the anonymisation erases in it."""

    IDENTITY = "identity", _("Identity: name, identity document, date of birth, home town")
    CONTACT = "contact", _("Contact: address, phone, e-mail, employer, workplace")
    PHOTO = "photo", _("Photo")
    SENSITIVE = "sensitive", _("Sensitive data: ethnicity, religion")


ERASED_FIELDS: dict[str, tuple[str, ...]] = {
    DataClass.IDENTITY: ("full_name", "id_number", "birth_date", "home_town", "admission_decision"),
    DataClass.CONTACT: ("address", "phone", "email", "employer", "workplace"),
    DataClass.PHOTO: ("photo", "photo_thumb"),
    DataClass.SENSITIVE: ("ethnicity", "religion"),
}


class SignInKind(models.TextChoices):
    CODE = "code", _("One-time code sent to the member")
    LINK = "link", _("Sign-in link printed by the registrar")


class SignIn(models.Model):
    """A way for a member to sign in to their own page once: a six-digit code sent to their
    registered phone or e-mail (short-lived, a few tries), or a link their registrar prints
    (valid for weeks, for members without either). Only a keyed hash of the secret is kept."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="sign_ins"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=SignInKind.choices)
    secret_hash = models.CharField(max_length=64, db_index=True)
    sent_to = models.CharField(_("sent to"), max_length=254, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    expires = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("printed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("member sign-in")
        verbose_name_plural = _("member sign-ins")
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.member} – {self.get_kind_display()}"


# Fields a correction carries as a date (stored as YYYY-MM-DD).
DATE_FIELDS = frozenset({"birth_date"})


class CorrectionState(models.TextChoices):
    PENDING = "pending", _("Waiting for the registrar")
    APPROVED = "approved", _("Approved and corrected")
    REJECTED = "rejected", _("Rejected")


class Correction(models.Model):
    """A member's request to correct a field of their record (their right to rectification);
    the registrar of their unit approves it, which changes the record, or rejects it with a
    reason."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="corrections"
    )
    field = models.CharField(_("field"), max_length=40)
    current = models.CharField(_("value held"), max_length=300, blank=True)
    requested = models.CharField(_("correct value"), max_length=300)
    note = models.CharField(_("member's note"), max_length=500, blank=True)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=CorrectionState.choices,
        default=CorrectionState.PENDING,
    )
    created = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")
        ordering = ["-created", "-id"]
        constraints = [
            # One open request per field: a second would race the first at approval.
            models.UniqueConstraint(
                fields=["member", "field"],
                condition=Q(state="pending"),
                name="privacy_one_pending_correction_per_field",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.field}"

    @property
    def requested_shown(self) -> str:
        """The requested value as people read it: a date as day/month/year, as the member typed."""
        if self.field not in DATE_FIELDS:
            return self.requested
        try:
            return dt.date.fromisoformat(self.requested).strftime("%d/%m/%Y")
        except ValueError:
            return self.requested

    @property
    def field_label(self) -> str:
        return str(getattr(Member._meta.get_field(self.field), "verbose_name", self.field))


class Risk(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


# Decree 13/2023 art. 23: the Ministry of Public Security (A05) is told within 72 hours.
BREACH_NOTICE_HOURS = 72


class Breach(models.Model):
    """A personal-data incident of a unit's records: what happened, which data and how many
    people, the 72-hour deadline for telling the authority, and what was done."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what happened"))
    discovered_at = models.DateTimeField(_("discovered at"))
    data_classes = models.JSONField(_("data affected"), default=list)
    people = models.PositiveIntegerField(_("people affected"))
    risk = models.CharField(_("risk to the people"), max_length=8, choices=Risk.choices)
    measures = models.TextField(_("measures taken"), blank=True)
    authority_notified_at = models.DateTimeField(_("authority notified at"), null=True, blank=True)
    authority_reference = models.CharField(_("notification reference"), max_length=200, blank=True)
    subjects_notified_at = models.DateTimeField(_("people notified at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("personal-data breach")
        verbose_name_plural = _("personal-data breaches")
        ordering = ["-discovered_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def deadline(self) -> dt.datetime:
        return self.discovered_at + dt.timedelta(hours=BREACH_NOTICE_HOURS)

    @property
    def data_labels(self) -> list[str]:
        return [str(DataClass(value).label) for value in self.data_classes]
