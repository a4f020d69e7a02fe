"""Reads for reports, every one scoped: an officer reports only on units in their subtree."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from unionhub.core import scope
from unionhub.core.errors import OutOfScope
from unionhub.core.types import User
from unionhub.members.models import Member, MembershipEvent, MembershipPeriod
from unionhub.orgs.models import Placement, Unit
from unionhub.orgs.selectors import parents_as_of
from unionhub.reports import cards_hook, fluctuation, statistics
from unionhub.reports.fluctuation import Cell, FluctuationReport
from unionhub.reports.models import ReportRound, ReportSubmission, SubmissionStatus
from unionhub.reports.periods import Period
from unionhub.reports.statistics import RankedUnit, Statistics


def report_unit(*, user: User, code: str | None = None, pk: int | None = None) -> Unit:
    """A unit the user may report on (dissolved units too: their history is reportable)."""
    lookup = {"pk": pk} if pk is not None else {"code": (code or "").strip().upper()}
    unit: Unit | None = scope.units(user, include_dissolved=True).filter(**lookup).first()
    if unit is None:
        raise OutOfScope()
    return unit


def default_unit(*, user: User) -> Unit | None:
    """Where a user's reports start: the highest unit they reach."""
    return scope.top_units(user).order_by("path").first()


# A computed report is kept this long at most, under a key that changes with the data (see
# _data_version), so that opening a group, exporting and coming back reuse it.
REPORT_CACHE_SECONDS = 600


def _data_version() -> tuple[Any, ...]:
    """What a report is computed from, in a few index-backed aggregates: any membership event,
    period, placement or unit added, or a period, placement or unit closed, changes it. History
    is appended, not rewritten (DESIGN §2: nothing is overwritten), so these counts and highest
    ids move with every change that can move a figure. A renamed unit shows its new name within
    REPORT_CACHE_SECONDS."""
    events = MembershipEvent.objects.aggregate(n=Count("id"), top=Max("id"))
    periods = MembershipPeriod.objects.aggregate(n=Count("id"), closed=Count("end"), top=Max("id"))
    placements = Placement.objects.aggregate(n=Count("id"), closed=Count("valid_to"), top=Max("id"))
    units = Unit.objects.aggregate(n=Count("id"), closed=Count("dissolved"), top=Max("id"))
    return (
        *events.values(),
        *periods.values(),
        *placements.values(),
        *units.values(),
        cards_hook.version(),
    )


def fluctuation_report(*, user: User, unit: Unit, period: Period) -> FluctuationReport:
    """The report of `unit` for `period`, computed now (reports.services keeps it for reuse)."""
    scope.require(user, None, unit)
    return fluctuation.fluctuation(unit=unit, first=period.first, last=period.last)


def report_key(*, unit: Unit, period: Period) -> str:
    """Where a computed report is kept: the unit, the period and the data it was computed
    from, so that any change that can move a figure makes a new key."""
    digest = hashlib.sha256(repr(_data_version()).encode()).hexdigest()[:24]
    return f"reports:fluctuation:{unit.pk}:{period.first}:{period.last}:{digest}"


def members_behind(*, user: User, unit: Unit, period: Period, cell: Cell) -> QuerySet[Member]:
    """The members behind one number of `unit`'s report. A row must be a unit of that report;
    members who have since moved elsewhere are listed, as they were in the unit's subtree."""
    scope.require(user, None, unit)
    return (
        fluctuation.members_behind(unit=unit, first=period.first, last=period.last, cell=cell)
        .select_related("unit")
        .order_by("sort_key", "pk")
    )


def units_behind(*, user: User, unit: Unit, period: Period, cell: Cell) -> QuerySet[Unit]:
    scope.require(user, None, unit)
    return fluctuation.units_behind(
        unit=unit, first=period.first, last=period.last, cell=cell
    ).order_by("sort_key", "pk")


# Reporting rounds --------------------------------------------------------------------------


def round_children(report_round: ReportRound) -> list[int]:
    """The units asked to report: those directly under the round's unit at the period's end."""
    return [u for u, p in parents_as_of(report_round.last).items() if p == report_round.unit_id]


def rounds_visible(*, user: User) -> QuerySet[ReportRound]:
    """Rounds the user runs (opened at a unit in scope) or must answer (opened at the unit
    above one of theirs)."""
    tops = scope.top_units(user).values("pk")
    above = Placement.objects.filter(unit__in=tops, parent__isnull=False).values("parent_id")
    runs = scope.restrict(ReportRound.objects.all(), user, via="unit")
    answers = ReportRound.objects.filter(unit__in=above)
    return (runs | answers).distinct().select_related("unit").order_by("-last", "-opened_at")


def round_get(*, user: User, pk: int) -> ReportRound:
    report_round = rounds_visible(user=user).filter(pk=pk).first()
    if report_round is None:
        raise OutOfScope()
    return report_round


@dataclass
class RoundLine:
    unit: Unit
    submission: ReportSubmission | None
    late: bool
    live: dict[str, int]
    differences: list[tuple[str, str, int, int]]  # (column, label, as submitted, now)
    may_submit: bool
    may_return: bool


def round_lines(*, user: User, report_round: ReportRound) -> list[RoundLine]:
    """One line per unit asked to report that the user may see: status, lateness, and where the
    live numbers now differ from those submitted. Live figures come from one report of the
    round's unit (its rows), not one report per child."""
    today = timezone.localdate()
    runs = scope.can(user, scope.REGISTRAR, report_round.unit)
    sees_all = scope.can(user, None, report_round.unit)
    children = Unit.objects.in_bulk(round_children(report_round))
    rows = {
        r.unit.pk: r.figures.as_dict()
        for r in fluctuation.fluctuation(
            unit=report_round.unit, first=report_round.first, last=report_round.last
        ).rows
    }
    submissions = {s.unit_id: s for s in report_round.submissions.select_related("submitted_by")}
    lines = []
    for unit in sorted(children.values(), key=lambda u: u.sort_key):
        if not (sees_all or scope.can(user, None, unit)):
            continue
        submission = submissions.get(unit.pk)
        live = rows.get(unit.pk, {})
        frozen = submission.figures["total"] if submission else {}
        # Only the columns the submission froze: one made before a column existed (the
        # "within" parts) is not different in it.
        differences = [
            (c, str(fluctuation.LABELS[c]), frozen[c], live.get(c, 0))
            for c in fluctuation.COLUMNS
            if submission and c in frozen and frozen[c] != live.get(c, 0)
        ]
        if submission is None or submission.status == SubmissionStatus.RETURNED:
            late = today > report_round.deadline
        else:
            late = timezone.localdate(submission.submitted_at) > report_round.deadline
        lines.append(
            RoundLine(
                unit=unit,
                submission=submission,
                late=late,
                live=live,
                differences=differences,
                may_submit=report_round.last < today
                and scope.can(user, scope.REGISTRAR, unit)
                and (submission is None or submission.status == SubmissionStatus.RETURNED),
                may_return=runs
                and submission is not None
                and submission.status == SubmissionStatus.SUBMITTED,
            )
        )
    return lines


def submission_get(*, user: User, pk: int) -> ReportSubmission:
    submission = (
        ReportSubmission.objects.filter(round__in=rounds_visible(user=user), pk=pk)
        .select_related("round__unit", "unit")
        .first()
    )
    if submission is None or not (
        scope.can(user, None, submission.round.unit) or scope.can(user, None, submission.unit)
    ):
        raise OutOfScope()
    return submission


# Statistics ------------------------------------------------------------------------------


def unit_statistics(*, user: User, unit: Unit) -> Statistics:
    """Statistics of the unit's members; the ethnicity breakdown only for registrars (its views
    are logged by services.statistics_view, ethnicity being sensitive personal data)."""
    scope.require(user, None, unit)
    with_ethnicity = scope.can(user, scope.REGISTRAR, unit)
    return statistics.statistics(unit=unit, with_ethnicity=with_ethnicity)


def unit_ranking(*, user: User, unit: Unit) -> list[RankedUnit]:
    scope.require(user, None, unit)
    return statistics.completeness_ranking(unit=unit)


def reports_due(*, user: User) -> int:
    """Reports the user's units still owe: for each round whose period has ended, opened at the
    unit above one where the user registers, that unit has no standing submission."""
    today = timezone.localdate()
    mine = set(scope.top_units(user, role=scope.REGISTRAR).values_list("pk", flat=True))
    if not mine:
        return 0
    above = Placement.objects.filter(unit__in=mine, parent__isnull=False).values("parent_id")
    rounds = ReportRound.objects.filter(unit__in=above, last__lt=today)
    submitted = set(
        ReportSubmission.objects.filter(
            round__in=rounds, unit__in=mine, status=SubmissionStatus.SUBMITTED
        ).values_list("round_id", "unit_id")
    )
    return sum(
        1
        for report_round in rounds
        for unit in mine & set(round_children(report_round))
        if (report_round.pk, unit) not in submitted
    )
