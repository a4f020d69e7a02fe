"""Official documents between units (DESIGN §2): outgoing documents, their recipients' incoming
registers, read receipts and handling.

An issued document never changes: a database trigger (migration 0002) refuses any update of an
issued row and any attachment or recipient target added to it; a correction is a new document
that `supersedes` the old one.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from unionhub.core.text import fold
from unionhub.orgs.models import Unit


class DocumentType(models.TextChoices):
    """Types of administrative documents with their abbreviations (Decree 30/2020/NĐ-CP)."""

    OFFICIAL_LETTER = "CV", _("Official letter")
    DECISION = "QĐ", _("Decision")
    RESOLUTION = "NQ", _("Resolution")
    DIRECTIVE = "CT", _("Directive")
    PLAN = "KH", _("Plan")
    REPORT = "BC", _("Report")
    NOTICE = "TB", _("Notice")
    INSTRUCTION = "HD", _("Guidance")
    INVITATION = "GM", _("Invitation")
    PROGRAMME = "CTr", _("Programme")
    MINUTES = "BB", _("Minutes")
    OTHER = "VB", _("Other document")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")
    VERY_URGENT = "very_urgent", _("Very urgent")
    FLASH = "flash", _("Flash")


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")


class TargetKind(models.TextChoices):
    """How a chosen unit turns into recipients when the document is issued."""

    UNIT = "unit", _("This unit only")
    SUBTREE = "subtree", _("The whole subtree")
    GRASSROOTS = "grassroots", _("Every grassroots union under it")


class HandlingStatus(models.TextChoices):
    NEW = "new", _("New")
    ASSIGNED = "assigned", _("Assigned")
    DONE = "done", _("Handled")


class RegisterKind(models.TextChoices):
    OUTGOING = "out", _("Outgoing")
    INCOMING = "in", _("Incoming")


class Register(models.Model):
    """A unit's numbering register for one year: outgoing numbers or incoming numbers.

    The row is locked with select_for_update() by the issuing transaction, so two clerks issuing
    at once queue here, and a rolled-back issue gives its number back: no duplicates, no gaps.
    """

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=3, choices=RegisterKind.choices)
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("document register")
        verbose_name_plural = _("document registers")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "kind"], name="register_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}/{self.kind}: {self.last}"


class Document(models.Model):
    """An official document drafted at, and issued by, one unit."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("issuing unit"), on_delete=models.PROTECT, related_name="documents"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT
    )
    doc_type = models.CharField(_("type"), max_length=4, choices=DocumentType.choices)
    department = models.CharField(
        _("drafting department"),
        max_length=20,
        blank=True,
        help_text=_("Abbreviation after the unit's symbol in an official letter, e.g. TC."),
    )
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    symbol = models.CharField(_("number and symbol"), max_length=80, blank=True, db_index=True)
    date = models.DateField(pgettext_lazy("document", "date"), null=True, blank=True)
    signer = models.CharField(_("signed by"), max_length=150, blank=True)
    signer_title = models.CharField(_("signer's position"), max_length=150, blank=True)
    summary = models.TextField(pgettext_lazy("document", "summary"), max_length=1000)
    summary_folded = models.TextField(editable=False, default="")
    urgency = models.CharField(
        _("urgency"), max_length=12, choices=Urgency.choices, default=Urgency.NORMAL
    )
    supersedes = models.ForeignKey(
        "self",
        verbose_name=_("corrects and replaces"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    reply_to = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replies",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-issued_at", "-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "number"],
                condition=Q(number__isnull=False),
                name="document_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(status=DocumentStatus.DRAFT)
                | Q(number__isnull=False, year__isnull=False, date__isnull=False),
                name="document_issued_has_number",
            ),
        ]
        indexes = [models.Index(fields=["unit", "status", "-issued_at"])]

    def __str__(self) -> str:
        return self.symbol or str(_("Draft")) + f" #{self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.summary_folded = fold(self.summary)
        super().save(*args, **kwargs)

    @property
    def is_issued(self) -> bool:
        return self.status == DocumentStatus.ISSUED


class DocumentTarget(models.Model):
    """A recipient as the clerk chose it on the draft; resolved to units when issued."""

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="targets"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT)
    kind = models.CharField(_("recipients"), max_length=12, choices=TargetKind.choices)

    class Meta:
        verbose_name = _("recipient choice")
        verbose_name_plural = _("recipient choices")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "unit", "kind"], name="document_target_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.unit}"


def attachment_path(attachment: Attachment, filename: str) -> str:
    """A non-guessable name: files are served only through the scoped download view."""
    return f"dispatch/{secrets.token_hex(2)}/{secrets.token_urlsafe(24)}.pdf"


class Attachment(models.Model):
    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size in bytes"))
    pages = models.PositiveIntegerField(_("pages"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class Recipient(models.Model):
    """One recipient unit of an issued document: its entry in that unit's incoming register."""

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.PROTECT, related_name="recipients"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="incoming"
    )
    incoming_year = models.PositiveSmallIntegerField(_("year"))
    incoming_number = models.PositiveIntegerField(_("incoming number"))
    delivered_at = models.DateTimeField(_("delivered"))
    read_at = models.DateTimeField(_("first read"), null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("first read by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("handling"), max_length=10, choices=HandlingStatus.choices, default=HandlingStatus.NEW
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    done_at = models.DateTimeField(pgettext_lazy("handling", "done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reminded_at = models.DateTimeField(_("last reminded"), null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(_("reminders"), default=0)

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        ordering = ["-delivered_at", "-incoming_number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "unit"], name="recipient_unique"),
            models.UniqueConstraint(
                fields=["unit", "incoming_year", "incoming_number"],
                name="recipient_incoming_number_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "-delivered_at"]),
            models.Index(fields=["unit", "read_at"]),
        ]

    def __str__(self) -> str:
        # Built in bulk for the audit trail: uses only ids already on the row.
        return f"{self.incoming_number}/{self.incoming_year} → {self.unit_id}"


class ReadReceipt(models.Model):
    """Who of the recipient unit opened the document, and when they first did."""

    recipient = models.ForeignKey(
        Recipient, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="receipts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("read by"), on_delete=models.CASCADE
    )
    at = models.DateTimeField(_("read at"), auto_now_add=True)

    class Meta:
        verbose_name = _("read receipt")
        verbose_name_plural = _("read receipts")
        ordering = ["at"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "user"], name="receipt_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.at:%Y-%m-%d %H:%M}"
