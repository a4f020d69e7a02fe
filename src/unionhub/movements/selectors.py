"""Every read of campaigns, entries and scores, scoped. A campaign is seen by the officers of its
unit's subtree (it runs for them) and of the units above it; registrations and entries are seen
by the officers who reach the registering unit or run the campaign; a score is read only by the
juror who gave it (and, combined, on the results)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404

from unionhub.core import certificates, scope, signing
from unionhub.core.types import User
from unionhub.dispatch.models import Document, DocumentStatus, DocumentType
from unionhub.members.models import Member
from unionhub.movements import awards, scoring
from unionhub.movements.models import (
    Assessment,
    Award,
    AwardLevel,
    Campaign,
    Classification,
    Criterion,
    Entry,
    EntryFile,
    Grade,
    Juror,
    Proposal,
    Registration,
    Score,
    ShelterHouse,
    ShelterState,
    SupportRecord,
    SupportState,
)
from unionhub.orgs.models import PATH_SEGMENT, Level, Unit

SORTS = {
    "title": "title",
    "-title": "-title",
    "starts": "starts",
    "-starts": "-starts",
    "unit": "unit__name",
}


def _above_q(user: User, via: str = "unit") -> Q:
    """Rows whose unit is above a unit the user holds a role at (their campaigns run for them)."""
    paths = {p for g in scope.grants(user) for p in _ancestors(g.path)}
    return Q(**{f"{via}__path__in": sorted(paths)})


def _ancestors(path: str) -> list[str]:
    return [path[:i] for i in range(PATH_SEGMENT, len(path), PATH_SEGMENT)]


def campaign_list(
    *, user: User, q: str = "", sort: str = "-starts", year: int | None = None
) -> QuerySet[Campaign]:
    qs = Campaign.objects.select_related("unit")
    condition = scope.q(user, via="unit")
    if condition is not None:
        qs = qs.filter(condition | _above_q(user))
    if q:
        qs = qs.filter(title__icontains=q)
    if year:
        qs = qs.filter(starts__year__lte=year, ends__year__gte=year)
    return qs.order_by(SORTS.get(sort, "-starts"), "pk")


def campaign_get(*, user: User, pk: int) -> Campaign:
    return get_object_or_404(campaign_list(user=user), pk=pk)


def campaign_run(*, user: User, pk: int) -> Campaign:
    """A campaign the user runs (unit admin at its unit); 404 for anyone else."""
    campaign = campaign_get(user=user, pk=pk)
    if not runs(user, campaign):
        raise Http404
    return campaign


def runs(user: User, campaign: Campaign) -> bool:
    """May the user manage the campaign (criteria, jury, awards)?"""
    return scope.can(user, scope.UNIT_ADMIN, campaign.unit)


def registering_units(*, user: User, campaign: Campaign) -> QuerySet[Unit]:
    """The units in the campaign's subtree the user may register (as their clerk)."""
    return scope.units(user, role=scope.CLERK, within=campaign.unit)


def registration_list(*, user: User, campaign: Campaign) -> QuerySet[Registration]:
    qs = campaign.registrations.select_related("unit", "member").order_by("unit__path", "pk")
    if runs(user, campaign) or is_juror(user, campaign):
        return qs
    return scope.restrict(qs, user, via="unit")


def entry_list(*, user: User, campaign: Campaign) -> QuerySet[Entry]:
    qs = Entry.objects.filter(registration__campaign=campaign).select_related(
        "registration__unit", "registration__member"
    )
    if not (runs(user, campaign) or is_juror(user, campaign)):
        qs = scope.restrict(qs, user, via="registration__unit")
    return qs.order_by("pk")


def entry_get(*, user: User, pk: int) -> Entry:
    entry = get_object_or_404(
        Entry.objects.select_related("registration__campaign__unit", "registration__unit"), pk=pk
    )
    campaign = campaign_get(user=user, pk=entry.registration.campaign_id)
    return get_object_or_404(entry_list(user=user, campaign=campaign), pk=pk)


def entry_file_get(*, user: User, pk: int) -> EntryFile:
    """A file of an entry, for whoever may read the entry: the campaign's jurors, the officers
    who run it or hold a role at its unit, and the officers who reach the registering unit;
    404 for anyone else (a sibling union, an officer outside the jury)."""
    found: EntryFile = get_object_or_404(EntryFile, pk=pk)
    entry_get(user=user, pk=found.entry_id)
    return found


def criteria(campaign: Campaign) -> list[Criterion]:
    return list(campaign.criteria.all())


def is_juror(user: User, campaign: Campaign) -> bool:
    return Juror.objects.filter(campaign=campaign, user_id=user.pk).exists()


def juror_get(*, user: User, campaign: Campaign) -> Juror:
    """The user's own seat on the campaign's jury; 404 for anyone else."""
    return get_object_or_404(Juror, campaign=campaign, user_id=user.pk)


def jurors(*, user: User, campaign: Campaign) -> QuerySet[Juror]:
    return campaign.jurors.select_related("user").order_by("pk")


def own_scores(*, user: User, campaign: Campaign) -> dict[tuple[int, int], Decimal]:
    """(entry id, criterion id) → points of the user's own sheet; nobody else's."""
    juror = juror_get(user=user, campaign=campaign)
    return {
        (s.entry_id, s.criterion_id): s.points
        for s in Score.objects.filter(juror=juror).only("entry_id", "criterion_id", "points")
    }


def results(*, user: User, campaign: Campaign) -> list[dict[str, Any]]:
    """The ranking by the campaign's rule: the combined score only, never a juror's sheet."""
    return ranking(campaign, entry_list(user=user, campaign=campaign))


def ranking(campaign: Campaign, entries_qs: QuerySet[Entry]) -> list[dict[str, Any]]:
    """The ranking of `entries_qs` (already scoped by the caller) by the campaign's rule."""
    entries = {e.pk: e for e in entries_qs}
    weights = {c.pk: c.weight for c in criteria(campaign)}
    sheets: dict[tuple[int, int], dict[int, Decimal]] = defaultdict(dict)
    for juror_id, entry_id, criterion_id, points in Score.objects.filter(
        juror__campaign=campaign
    ).values_list("juror_id", "entry_id", "criterion_id", "points"):
        sheets[(entry_id, juror_id)][criterion_id] = points
    totals: dict[int, list[Fraction]] = defaultdict(list)
    for (entry_id, _juror), sheet in sheets.items():
        total = scoring.juror_total(sheet, weights)
        if total is not None:
            totals[entry_id].append(total)
    scores = {pk: scoring.combine(totals.get(pk, []), campaign.rule) for pk in entries}
    return [
        {
            "rank": r.rank,
            "entry": entries[r.entry],
            "score": scoring.as_decimal(r.score),
            "jurors": len(totals[r.entry]),
        }
        for r in scoring.rank(scores)
    ]


AWARD_SORTS = {"created": "created", "-created": "-created", "level": "level__name"}


def award_list(*, user: User, q: str = "", sort: str = "-created") -> QuerySet[Award]:
    """Awards to units the user reaches, and those their own units gave."""
    qs = Award.objects.select_related("level__unit", "member", "unit", "decision", "campaign")
    condition = scope.q(user, via="unit")
    if condition is not None:
        given = scope.q(user, via="level__unit")
        qs = qs.filter(condition | given if given is not None else condition)
    if q:
        qs = qs.filter(Q(member__full_name__icontains=q) | Q(unit__name__icontains=q))
    return qs.order_by(AWARD_SORTS.get(sort, "-created"), "pk")


def award_get(*, user: User, pk: int) -> Award:
    return get_object_or_404(award_list(user=user), pk=pk)


def award_given(*, user: User, pk: int) -> Award:
    """An award of a unit where the user is unit admin (who may revoke it); 404 otherwise."""
    return get_object_or_404(
        scope.restrict(award_list(user=user), user, role=scope.UNIT_ADMIN, via="level__unit"),
        pk=pk,
    )


def award_public(*, token: str) -> Award | None:
    """The award a certificate's QR names, for the public verify page; None if the token is
    not genuine. No user: the signed token is the credential."""
    try:
        pk = certificates.certificate_id(token, purpose=awards.PURPOSE)
    except signing.BadToken:
        return None
    return (
        Award.objects.select_related("level__unit", "member", "unit", "decision")
        .filter(pk=pk)
        .first()
    )


def award_levels(*, user: User) -> QuerySet[AwardLevel]:
    return scope.restrict(
        AwardLevel.objects.select_related("unit"), user, role=scope.UNIT_ADMIN
    ).order_by("unit__path", "position")


def decisions(*, user: User) -> QuerySet[Document]:
    """Issued decisions of the units where the user is unit admin: what an award cites."""
    return scope.restrict(
        Document.objects.filter(
            status=DocumentStatus.ISSUED, doc_type=DocumentType.DECISION
        ).select_related("unit"),
        user,
        role=scope.UNIT_ADMIN,
    ).order_by("-date", "-number")


def awards_of_member(*, user: User, member: Member) -> QuerySet[Award]:
    return award_list(user=user).filter(member=member)


def awards_of_unit(*, user: User, unit: Unit) -> QuerySet[Award]:
    return award_list(user=user).filter(unit=unit, member__isnull=True)


SUPPORT_SORTS = {
    "date": "date",
    "-date": "-date",
    "-amount": "-amount",
    "name": "member__full_name",
}


def support_list(
    *, user: User, state: str = "", kind: str = "", year: int | None = None, sort: str = "-date"
) -> QuerySet[SupportRecord]:
    """Support records of the units the user reaches (the proposing union and those above)."""
    qs = scope.restrict(
        SupportRecord.objects.select_related("member", "unit", "deciding_unit"), user
    )
    if state:
        qs = qs.filter(state=state)
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(date__year=year)
    return qs.order_by(SUPPORT_SORTS.get(sort, "-date"), "pk")


def support_get(*, user: User, pk: int) -> SupportRecord:
    return get_object_or_404(support_list(user=user), pk=pk)


def deciding_units(*, user: User, record: Proposal) -> QuerySet[Unit]:
    """The units above the proposing union where the user may decide (unit admin there)."""
    above = scope.units(user, role=scope.UNIT_ADMIN).filter(path__in=_ancestors(record.unit.path))
    return above.order_by("-path")


def support_of_member(*, user: User, member: Member) -> QuerySet[SupportRecord]:
    return support_list(user=user).filter(member=member)


SHELTER_SORTS = {
    "proposed": "proposed",
    "-proposed": "-proposed",
    "-cost": "-cost",
    "cost": "cost",
    "name": "member__full_name",
    "-handed_over_on": "-handed_over_on",
}


def shelter_list(
    *, user: User, state: str = "", year: int | None = None, q: str = "", sort: str = "-proposed"
) -> QuerySet[ShelterHouse]:
    """Shelter houses of the units the user reaches (the proposing union and those above);
    `year` is the year proposed, `q` a part of the beneficiary's name or of the address."""
    qs = scope.restrict(
        ShelterHouse.objects.select_related("member", "unit", "deciding_unit"), user
    )
    if state:
        qs = qs.filter(state=state)
    if year:
        qs = qs.filter(proposed__year=year)
    if q:
        qs = qs.filter(Q(member__full_name__icontains=q) | Q(address__icontains=q))
    return qs.order_by(SHELTER_SORTS.get(sort, "-proposed"), "pk")


def shelter_get(*, user: User, pk: int) -> ShelterHouse:
    return get_object_or_404(shelter_list(user=user), pk=pk)


def shelters_of_member(*, user: User, member: Member) -> QuerySet[ShelterHouse]:
    return shelter_list(user=user).filter(member=member)


def proposing_units(*, user: User) -> QuerySet[Unit]:
    return scope.units(user, role=scope.CLERK)


def ceremony_awards(*, campaign: Campaign) -> QuerySet[Award]:
    """The campaign's standing awards in the order they are read out (the caller runs it)."""
    return (
        Award.objects.filter(campaign=campaign, revoked__isnull=True)
        .select_related("level", "member", "unit")
        .order_by("-level__position", "pk")
    )


@dataclass
class StatisticsRow:
    unit: Unit
    entries: int = 0
    awards: int = 0
    members_supported: int = 0
    amount: int = 0
    shelters: int = 0
    shelter_cost: int = 0
    # Class name → how many of the row's grassroots unions got it in the year-end
    # classification of the period's last year; every row has every class, in the same order.
    classes: dict[str, int] = field(default_factory=dict)


def statistics(*, user: User, unit: Unit, first: dt.date, last: dt.date) -> list[StatisticsRow]:
    """Per child of `unit` (and `unit` itself for what is recorded at it): entries submitted,
    awards decided, members supported and the amount given, shelter houses handed over and
    their cost, in [first, last]; and how many grassroots unions got each class of the
    year-end classification of `last`'s year (`_class_counts`). `unit` must be in the user's
    reach; the last row is the total."""
    scope.require(user, None, unit)
    # Dissolved children too: what they did in the period still counts.
    children = list(Unit.objects.filter(parent=unit).order_by("path"))
    rows = {unit.path: StatisticsRow(unit)} | {c.path: StatisticsRow(c) for c in children}
    width = len(unit.path) + PATH_SEGMENT

    def row_of(path: str) -> StatisticsRow | None:
        # A descendant's path starts with its child's; the unit's own path is the unit's row.
        return rows.get(path[:width])

    inside = scope.subtree_q(unit.path, "registration__unit")
    for path, count in (
        Entry.objects.filter(inside, submitted__date__range=(first, last))
        .values_list("registration__unit__path")
        .annotate(n=Count("pk"))
    ):
        if (row := row_of(path)) is not None:
            row.entries += count
    for path, count in (
        Award.objects.filter(
            scope.subtree_q(unit.path, "unit"),
            decision__date__range=(first, last),
            revoked__isnull=True,
        )
        .values_list("unit__path")
        .annotate(n=Count("pk"))
    ):
        if (row := row_of(path)) is not None:
            row.awards += count
    supported: dict[str, set[int]] = defaultdict(set)
    for path, member_id, amount in SupportRecord.objects.filter(
        scope.subtree_q(unit.path, "unit"),
        state=SupportState.APPROVED,
        date__range=(first, last),
    ).values_list("unit__path", "member_id", "amount"):
        if (row := row_of(path)) is not None:
            supported[row.unit.path].add(member_id)
            row.amount += amount or 0
    for path, members in supported.items():
        rows[path].members_supported = len(members)
    for path, count, cost in (
        ShelterHouse.objects.filter(
            scope.subtree_q(unit.path, "unit"),
            state=ShelterState.HANDED_OVER,
            handed_over_on__range=(first, last),
        )
        .values_list("unit__path")
        .annotate(n=Count("pk"), cost=Sum("cost"))
    ):
        if (row := row_of(path)) is not None:
            row.shelters += count
            row.shelter_cost += cost
    ordered = [rows[unit.path], *(rows[c.path] for c in children)]
    _class_counts(unit, last.year, ordered, row_of)
    total = StatisticsRow(unit)
    total.entries = sum(r.entries for r in ordered)
    total.awards = sum(r.awards for r in ordered)
    total.amount = sum(r.amount for r in ordered)
    total.shelters = sum(r.shelters for r in ordered)
    total.shelter_cost = sum(r.shelter_cost for r in ordered)
    total.members_supported = len(set().union(*supported.values())) if supported else 0
    total.classes = {name: sum(r.classes[name] for r in ordered) for name in ordered[0].classes}
    return [*ordered, total]


def _class_counts(
    unit: Unit,
    year: int,
    rows: list[StatisticsRow],
    row_of: Callable[[str], StatisticsRow | None],
) -> None:
    """Fill each row's `classes`: its grassroots unions by the class they got in `year`. A
    union scored under more than one scheme of the year (its province's and its district's)
    counts once, in the class of the scheme nearest above it. The classes are named as the
    schemes name them, highest first (by their starting points)."""
    found = Assessment.objects.filter(
        scope.subtree_q(unit.path, "unit"), classification__year=year
    ).values_list("unit__path", "classification__unit__path", "grade__name")
    nearest: dict[str, tuple[str, str]] = {}
    for path, scheme_path, name in found:
        if path not in nearest or len(scheme_path) > len(nearest[path][0]):
            nearest[path] = (scheme_path, name)
    # Every class of the year's schemes over the unit's unions, also those nobody got.
    top: dict[str, int] = {}
    for name, min_points in Grade.objects.filter(
        Q(classification__unit__path__in=[*_ancestors(unit.path), unit.path])
        | scope.subtree_q(unit.path, "classification__unit"),
        classification__year=year,
    ).values_list("name", "min_points"):
        top[name] = max(top.get(name, 0), min_points)
    names = sorted(top, key=lambda name: (-top[name], name))
    for each in rows:
        each.classes = dict.fromkeys(names, 0)
    for path, (_scheme, name) in nearest.items():
        if (row := row_of(path)) is not None:
            row.classes[name] += 1


def classification_list(*, user: User) -> QuerySet[Classification]:
    """The schemes the user sees: those of the units they reach and of the units above them
    (a scheme applies to the unions below its unit, and their upper levels score them)."""
    qs = Classification.objects.select_related("unit")
    condition = scope.q(user, via="unit")
    if condition is not None:
        qs = qs.filter(condition | _above_q(user))
    return qs.order_by("-year", "unit__path", "pk")


def classification_get(*, user: User, pk: int) -> Classification:
    return get_object_or_404(classification_list(user=user), pk=pk)


ASSESSMENT_SORTS = {
    "unit": "unit__name",
    "-total": "-total",
    "total": "total",
    "-year": "-classification__year",
    "class": "-grade__min_points",
}


def assessment_list(
    *, user: User, year: int | None = None, q: str = "", sort: str = "-year"
) -> QuerySet[Assessment]:
    """The classes of the grassroots unions the user reaches (a union sees its own, the units
    above it see theirs); `q` a part of the union's or the class's name."""
    qs = scope.restrict(
        Assessment.objects.select_related("classification__unit", "unit", "grade"), user
    )
    if year:
        qs = qs.filter(classification__year=year)
    if q:
        qs = qs.filter(Q(unit__name__icontains=q) | Q(grade__name__icontains=q))
    return qs.order_by(ASSESSMENT_SORTS.get(sort, "-classification__year"), "unit__path", "pk")


def assessments_of_unit(*, user: User, unit: Unit) -> QuerySet[Assessment]:
    return assessment_list(user=user).filter(unit=unit)


def classified_units(*, user: User, classification: Classification) -> QuerySet[Unit]:
    """The grassroots unions below the scheme's unit that the user reaches, in tree order."""
    return (
        scope.units(user, within=classification.unit)
        .filter(level=Level.GRASSROOTS)
        .select_related("parent")
        .order_by("path")
    )


def classified_rows(
    *, user: User, classification: Classification, units: list[Unit]
) -> list[dict[str, Any]]:
    """`units` (a page of `classified_units`) each with its assessment (or None) and whether
    the user may score it (unit admin above it)."""
    scorers = {u.pk for u in scope.units(user, role=scope.UNIT_ADMIN).filter(
        pk__in={u.parent_id for u in units}
    )}  # fmt: skip
    found = {
        a.unit_id: a
        for a in classification.assessments.filter(unit__in=units).select_related("grade")
    }
    return [
        {"unit": u, "assessment": found.get(u.pk), "may_score": u.parent_id in scorers}
        for u in units
    ]


def scorable_unit(*, user: User, classification: Classification, pk: int) -> Unit:
    """A grassroots union below the scheme's unit that the user may score; 404 otherwise."""
    unit: Unit = get_object_or_404(
        scope.units(user, role=scope.UNIT_ADMIN, within=classification.unit).filter(
            level=Level.GRASSROOTS, parent__in=scope.units(user, role=scope.UNIT_ADMIN)
        ),
        pk=pk,
    )
    return unit


def assessment_points(*, classification: Classification, unit: Unit) -> dict[int, Decimal]:
    """criterion id → points of the union's current scores (the caller checked scope)."""
    return dict(
        classification.assessments.filter(unit=unit).values_list(
            "scores__criterion_id", "scores__points"
        )
    )


def grade_counts(classification: Classification) -> list[dict[str, Any]]:
    """The classes, highest first, with how many unions hold each (for the quota)."""
    held = dict(classification.assessments.values_list("grade_id").annotate(n=Count("pk")))
    return [{"grade": g, "held": held.get(g.pk, 0)} for g in classification.grades.all()]


def officer_named(username: str) -> User | None:
    """An active account by its user name, for appointing a juror (the service then checks that
    the officer belongs to the campaign's unit)."""
    return get_user_model().objects.filter(username=username.strip(), is_active=True).first()
