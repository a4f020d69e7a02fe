"""Every write of the reports app: reporting rounds and submissions. Atomic, scoped, audited."""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from unionhub.audit.services import log
from unionhub.core import scope
from unionhub.core.errors import DomainError
from unionhub.core.types import User
from unionhub.orgs.models import Unit
from unionhub.reports import fluctuation
from unionhub.reports.actions import Action
from unionhub.reports.fluctuation import FluctuationReport
from unionhub.reports.models import ReportRound, ReportSubmission, SubmissionStatus
from unionhub.reports.periods import Period
from unionhub.reports.selectors import (
    REPORT_CACHE_SECONDS,
    fluctuation_report,
    report_key,
    round_children,
    unit_statistics,
)
from unionhub.reports.statistics import Statistics


@transaction.atomic
def round_open(
    *, unit: Unit, first: dt.date, last: dt.date, deadline: dt.date, by: User, note: str = ""
) -> ReportRound:
    """Ask the units under `unit` for their fluctuation report for [first, last]."""
    scope.require(by, scope.REGISTRAR, unit)
    if last < first:
        raise DomainError("bad_period", _("The period must end on or after its first day."))
    if deadline < last:
        raise DomainError(
            "deadline_before_period_end",
            _("The deadline cannot be before the end of the period."),
            field="deadline",
        )
    if ReportRound.objects.filter(unit=unit, first=first, last=last).exists():
        raise DomainError("round_exists", _("A round for this unit and period is already open."))
    report_round = ReportRound.objects.create(
        unit=unit, first=first, last=last, deadline=deadline, note=note, opened_by=by
    )
    if not round_children(report_round):
        raise DomainError(
            "round_without_children", _("No units stood under this unit at the end of the period.")
        )
    log(
        by,
        Action.ROUND_OPENED,
        unit,
        {"round": report_round.pk, "from": first, "to": last, "deadline": deadline},
    )
    return report_round


@transaction.atomic
def report_submit(*, report_round: ReportRound, unit: Unit, by: User) -> ReportSubmission:
    """`unit` submits its report: its figures as computed now are frozen in the submission."""
    scope.require(by, scope.REGISTRAR, unit)
    report_round = ReportRound.objects.select_for_update().get(pk=report_round.pk)
    if report_round.last >= timezone.localdate():
        raise DomainError(
            "period_not_over", _("The report can be submitted once the period is over.")
        )
    if unit.pk not in round_children(report_round):
        raise DomainError(
            "not_in_round",
            _("%(unit)s is not asked to report in this round.") % {"unit": unit.name},
        )
    existing = ReportSubmission.objects.filter(round=report_round, unit=unit).first()
    if existing is not None and existing.status == SubmissionStatus.SUBMITTED:
        raise DomainError(
            "already_submitted",
            _("This report was already submitted; the upper unit can return it for correction."),
        )
    figures = fluctuation.fluctuation(
        unit=unit, first=report_round.first, last=report_round.last
    ).as_json()
    submission = existing or ReportSubmission(round=report_round, unit=unit)
    submission.status = SubmissionStatus.SUBMITTED
    submission.figures = figures
    submission.submitted_by = by
    submission.submitted_at = timezone.now()
    submission.save()
    log(
        by,
        Action.REPORT_SUBMITTED,
        unit,
        {"round": report_round.pk, "end": figures["total"][fluctuation.END]},
    )
    return submission


@transaction.atomic
def report_return(*, submission: ReportSubmission, by: User, comment: str) -> ReportSubmission:
    """The upper unit sends a submitted report back with a comment; the child submits again."""
    submission = (
        ReportSubmission.objects.select_for_update()
        .select_related("round__unit", "unit")
        .get(pk=submission.pk)
    )
    scope.require(by, scope.REGISTRAR, submission.round.unit)
    if submission.status != SubmissionStatus.SUBMITTED:
        raise DomainError("not_submitted", _("Only a submitted report can be returned."))
    comment = comment.strip()
    if not comment:
        raise DomainError("comment_required", _("Say what needs correcting."), field="comment")
    submission.status = SubmissionStatus.RETURNED
    submission.comment = comment
    submission.returned_by = by
    submission.returned_at = timezone.now()
    submission.save(update_fields=["status", "comment", "returned_by", "returned_at"])
    log(
        by,
        Action.REPORT_RETURNED,
        submission.unit,
        {"round": submission.round_id, "comment": comment},
    )
    return submission


@transaction.atomic
def statistics_view(*, unit: Unit, by: User) -> Statistics:
    """The unit's statistics as the officer sees them; a view that shows the ethnicity breakdown
    is logged, ethnicity being sensitive personal data (DESIGN §2)."""
    result = unit_statistics(user=by, unit=unit)
    if result.by_ethnicity is not None:
        log(by, Action.SENSITIVE_VIEWED, unit, {"fields": ["ethnicity"]})
    return result


def fluctuation_report_kept(*, user: User, unit: Unit, period: Period) -> FluctuationReport:
    """The report, computed once for the data as they stand and kept for the group lines, the
    exports and the next look (the province's takes a few tenths of a second). Keeping it is
    the write a read does not do; the scope is checked before the cache is looked at."""
    scope.require(user, None, unit)
    key = report_key(unit=unit, period=period)
    report: FluctuationReport | None = cache.get(key)
    if report is None:
        report = fluctuation_report(user=user, unit=unit, period=period)
        cache.set(key, report, REPORT_CACHE_SECONDS)
    return report
