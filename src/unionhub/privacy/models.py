"""Consent of a member to each purpose their personal data is processed for (Decree 13/2023
art. 11; Law 91/2025): when and how it was given, and when it was withdrawn."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from unionhub.members.models import Member


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
