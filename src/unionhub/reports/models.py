"""Reporting rounds: a parent unit asks its children for their fluctuation report for a period;
each child's submission freezes its numbers as submitted."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from unionhub.orgs.models import Unit


class ReportRound(models.Model):
    """A parent unit's call for reports for [first, last] by `deadline`."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="report_rounds"
    )
    first = models.DateField(_("from"))
    last = models.DateField(_("until"))
    deadline = models.DateField(_("deadline"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(last__gte=F("first")), name="round_period_order"),
            models.UniqueConstraint(
                fields=["unit", "first", "last"], name="round_one_per_unit_and_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.first:%d/%m/%Y}–{self.last:%d/%m/%Y}"


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")


class ReportSubmission(models.Model):
    """A child unit's report in a round, with its figures frozen as submitted."""

    round = models.ForeignKey(
        ReportRound,
        verbose_name=_("reporting round"),
        on_delete=models.CASCADE,
        related_name="submissions",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="report_submissions"
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.SUBMITTED,
    )
    figures = models.JSONField(_("figures as submitted"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("returned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report submission")
        verbose_name_plural = _("report submissions")
        ordering = ["round", "unit__sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="submission_one_per_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_status_display()}"
