"""Membership cards, their numbering series and their life: requested → approved → printed →
delivered, or revoked at any point (DESIGN §2)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from unionhub.cards import numbers
from unionhub.members.models import Member
from unionhub.orgs.models import Unit


class CardSeries(models.Model):
    """The numbering series of a province federation (or national sector union): its code and
    the counter of the last serial handed out. The counter row is locked while numbers are
    allocated, so two officers approving at once never get the same number."""

    unit = models.OneToOneField(
        Unit, verbose_name=_("issuing unit"), on_delete=models.PROTECT, related_name="card_series"
    )
    code = models.CharField(
        _("series code"),
        max_length=numbers.PREFIX_DIGITS,
        unique=True,
        validators=[RegexValidator(r"^\d{3}$", _("Three digits, e.g. 042 for Hà Tĩnh."))],
        help_text=_("Three digits; by default the province code of the citizen ID (042)."),
    )
    last_serial = models.PositiveIntegerField(_("last serial issued"), default=0)

    class Meta:
        verbose_name = _("card numbering series")
        verbose_name_plural = _("card numbering series")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_serial__lte=numbers.MAX_SERIAL), name="card_series_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.unit}"


class CardState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    PRINTED = "printed", _("Printed")
    DELIVERED = "delivered", _("Delivered")
    REVOKED = "revoked", _("Revoked")


# A member holds at most one card in these states.
VALID_STATES = (CardState.REQUESTED, CardState.APPROVED, CardState.PRINTED, CardState.DELIVERED)
# A card in these states has a number and a QR code that verifies as genuine.
ISSUED_STATES = (CardState.APPROVED, CardState.PRINTED, CardState.DELIVERED)


class RevokeReason(models.TextChoices):
    LOST = "lost", _("Lost")
    DAMAGED = "damaged", _("Damaged")
    DETAILS_CHANGED = "details_changed", _("Details changed")
    MEMBER_LEFT = "member_left", _("Holder left the union")
    MEMBER_DECEASED = "member_deceased", _("Holder died")
    WITHDRAWN = "withdrawn", _("Request withdrawn or refused")
    OTHER = "other", _("Other")


# Reasons that mean "the same member gets a new card"; the new card records what it replaces.
REISSUE_REASONS = (RevokeReason.LOST, RevokeReason.DAMAGED, RevokeReason.DETAILS_CHANGED)


class Card(models.Model):
    """One membership card of one member. Changed only by the services in ``cards.services``."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="cards"
    )
    # The unit printed on the card: the member's unit when the card was approved.
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit on the card"), on_delete=models.PROTECT, related_name="+"
    )
    series = models.ForeignKey(
        CardSeries,
        verbose_name=_("numbering series"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cards",
    )
    number = models.CharField(
        _("card number"), max_length=numbers.NUMBER_DIGITS, unique=True, null=True, blank=True
    )
    issued = models.DateField(_("issue date"), null=True, blank=True)
    state = models.CharField(
        _("status"), max_length=12, choices=CardState.choices, default=CardState.REQUESTED
    )
    revoke_reason = models.CharField(
        _("reason for revocation"), max_length=20, choices=RevokeReason.choices, blank=True
    )
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces card"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
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
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    printed_at = models.DateTimeField(_("printed at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership card")
        verbose_name_plural = _("membership cards")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(state__in=list(VALID_STATES)),
                name="card_one_valid_per_member",
            ),
            models.CheckConstraint(
                condition=Q(state=CardState.REQUESTED)
                | Q(state=CardState.REVOKED)
                | Q(number__isnull=False),
                name="card_issued_has_number",
            ),
        ]
        indexes = [models.Index(fields=["state", "unit"])]

    def __str__(self) -> str:
        return numbers.display(self.number) if self.number else f"#{self.pk} · {self.member}"

    @property
    def is_valid(self) -> bool:
        return self.state in VALID_STATES

    @property
    def is_issued(self) -> bool:
        return self.state in ISSUED_STATES

    @property
    def number_display(self) -> str:
        return numbers.display(self.number or "")
