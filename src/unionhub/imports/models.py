"""An uploaded spreadsheet on its way into the registry, and the column mappings units keep."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from unionhub.core.models import Job
from unionhub.orgs.models import Unit


class BatchStatus(models.TextChoices):
    NEEDS_MAPPING = "mapping", _("Columns to match")
    ANALYSING = "analysing", _("Checking")
    PREVIEWED = "previewed", _("Checked, not imported yet")
    COMMITTING = "committing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


# A batch in these states waits for its officer; it may be cancelled (nothing was written).
CANCELLABLE = (BatchStatus.NEEDS_MAPPING, BatchStatus.PREVIEWED)


class ImportMode(models.TextChoices):
    """What the new people of a file are: a unit's existing list is recorded (the default),
    a list of people joining the union now is admitted."""

    RECORD = "record", _("Existing members: record them on the unit's books")
    ADMIT = "admit", _("New members: admit them on their union join date")


def source_path(batch: ImportBatch, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower()[:5] if "." in filename else "bin"
    return f"imports/sources/{uuid.uuid4().hex}.{suffix}"


def report_path(batch: ImportBatch, filename: str) -> str:
    return f"imports/reports/{uuid.uuid4().hex}.xlsx"


class ImportBatch(models.Model):
    """One file imported into one unit: stored so the background worker can read it, checked
    (dry run) and then committed as a whole."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="import_batches"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    filename = models.CharField(_("file name"), max_length=255)
    source = models.FileField(_("file"), upload_to=source_path)
    status = models.CharField(
        _("status"), max_length=12, choices=BatchStatus.choices, default=BatchStatus.ANALYSING
    )
    mode = models.CharField(
        _("new people are"), max_length=8, choices=ImportMode.choices, default=ImportMode.RECORD
    )
    # The day the unit's books take the recorded members; empty: the day of the import.
    books_open = models.DateField(_("books open on"), null=True, blank=True)
    # Column index (as text, JSON keys are strings) → field; empty until the columns are known.
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    headers = models.JSONField(_("headers"), default=list, blank=True)
    # The dry run's (then the commit's) figures and the first problems, for the preview page.
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    error_report = models.FileField(_("error report"), upload_to=report_path, blank=True)
    job = models.ForeignKey(
        Job,
        verbose_name=_("background job"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    committed = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.filename} → {self.unit}"

    def column_mapping(self) -> dict[int, str]:
        return {int(index): key for index, key in self.mapping.items()}


class ColumnMapping(models.Model):
    """How a unit's own spreadsheet layout maps to fields, remembered after the officer matched
    it once; `signature` identifies the layout by its folded headers."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    signature = models.CharField(_("layout"), max_length=64)
    mapping = models.JSONField(_("column mapping"), default=dict)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        constraints = [
            models.UniqueConstraint(fields=["unit", "signature"], name="mapping_one_per_layout")
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.signature[:8]}"
