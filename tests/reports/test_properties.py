"""Property: for random member histories and random reorganisations, made through the real
member and unit services, every unit's report closes, equals the sum of its rows and of its
children as the tree stood, and equals a member-by-member recount from the events. Histories
mix new admissions with existing members recorded on a unit's books (with union join dates from
long before); a recorded member is never counted as admitted."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import admit, record, transfer
from tests.reports import oracle
from unionhub.core.errors import DomainError
from unionhub.members import services as members
from unionhub.members.models import EventKind, LeaveReason, Member
from unionhub.orgs import services as orgs
from unionhub.orgs.models import Level, Placement, Unit
from unionhub.orgs.selectors import parents_as_of
from unionhub.reports import fluctuation as f

pytestmark = [pytest.mark.django_db, pytest.mark.long]

BASE = dt.date(2021, 1, 1)
DAYS = 1400  # histories run to late 2024, all in the past as the services require
FOUNDED = dt.date(2010, 1, 1)

OPS = (
    "admit",
    "admit",
    "admit",
    "record",
    "transfer",
    "suspend",
    "resume",
    "leave",
    "retire",
    "decease",
    "reinstate",
    "move_union",
    "found_union",
    "found_district",
    "merge_union",
    "dissolve_district",
)

operation = st.tuples(
    st.integers(0, DAYS),
    st.sampled_from(OPS),
    st.integers(0, 10_000),
    st.integers(0, 10_000),
)
# Most members join early, so that later transfers, departures and moves have someone to move.
admission = st.tuples(
    st.integers(0, DAYS // 3),
    st.sampled_from(["admit", "record"]),
    st.integers(0, 10_000),
    st.integers(0, 10_000),
)
window = st.tuples(st.integers(0, DAYS + 60), st.integers(0, 500)).map(
    lambda w: (BASE + dt.timedelta(days=w[0]), BASE + dt.timedelta(days=w[0] + w[1]))
)


class World:
    """The tree and members being built, and one step of history at a time."""

    def __init__(self) -> None:
        self.by = get_user_model().objects.create_superuser("prop", "p@x.test", "pw")
        self.serial = 0
        self.root = self.found("VGCL", Level.CONFEDERATION, None)
        self.province = self.found("HT", Level.PROVINCE, self.root)
        self.districts = [self.found(f"D{i}", Level.DIRECT_UPPER, self.province) for i in range(2)]
        self.unions = [
            self.found(f"G{i}", Level.GRASSROOTS, self.districts[i % 2]) for i in range(3)
        ]
        self.members: list[Member] = []

    def found(self, code, level, parent, day=FOUNDED):
        return orgs.unit_found(
            code=code, name=f"Đơn vị {code}", level=level, parent=parent, founded=day, by=self.by
        )

    def pick(self, items, index):
        return items[index % len(items)] if items else None

    def apply(self, day: dt.date, op: str, a: int, b: int) -> None:
        member = self.pick(self.members, a)
        if member is not None:
            member.refresh_from_db()
        union, other = self.pick(self.unions, a), self.pick(self.unions, b)
        district = self.pick(self.districts, b)
        for unit in (union, other, district):
            unit.refresh_from_db()
        by = self.by
        if op == "admit":
            self.members.append(admit(union, by, day, female=b % 2 == 0))
        elif op == "record":
            # Joined the union up to 30 years before the books opened, often before the union
            # (founded 2010) existed.
            joined = day.replace(year=day.year - b % 31, day=1)
            self.members.append(
                record(
                    union,
                    by,
                    joined,
                    day,
                    female=b % 2 == 0,
                    birth_date=dt.date(joined.year - 20, 1, 1),
                )
            )
        elif op == "transfer" and member:
            transfer(member, other, day, by)
        elif op in ("suspend", "resume", "retire", "decease", "reinstate") and member:
            getattr(members, f"member_{op}")(member=member, date=day, by=by)
        elif op == "leave" and member:
            members.member_leave(member=member, date=day, reason=LeaveReason.RESIGNED, by=by)
        elif op == "move_union":
            orgs.unit_move(unit=union, new_parent=district, effective=day, by=by)
        elif op == "found_union":
            self.serial += 1
            self.unions.append(self.found(f"N{self.serial}", Level.GRASSROOTS, district, day))
        elif op == "found_district":
            self.serial += 1
            self.districts.append(
                self.found(f"DN{self.serial}", Level.DIRECT_UPPER, self.province, day)
            )
        elif op == "merge_union":
            orgs.unit_dissolve(unit=union, effective=day, merged_into=other, by=by)
        elif op == "dissolve_district":
            orgs.unit_dissolve(unit=district, effective=day, by=by)


def children_then(parent: Unit, day: dt.date) -> list[int]:
    return [u for u, p in parents_as_of(day).items() if p == parent.pk]


def stayed_under(child: int, parent: Unit, eve: dt.date, last: dt.date) -> bool:
    """Whether `child` stood directly under `parent` on every day of [eve, last]."""
    return (
        Placement.objects.filter(unit_id=child, parent=parent, valid_from__lte=eve)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=last))
        .exists()
    )


class Reports(dict):
    """Every unit's report of one window, computed once: a unit's report is checked on its own
    and again as a child of its parent's, and the database does not change between."""

    def __init__(self, first: dt.date, last: dt.date) -> None:
        super().__init__()
        self.first, self.last = first, last

    def __missing__(self, unit_id: int) -> f.FluctuationReport:
        unit = Unit.objects.get(pk=unit_id)
        report = self[unit_id] = f.fluctuation(unit=unit, first=self.first, last=self.last)
        return report


def check_unit(unit: Unit, reports: Reports, stretches) -> None:
    first, last = reports.first, reports.last
    report = reports[unit.pk]
    total = report.total
    assert total.closes, (unit.code, first, last, total.as_dict())
    summed = Counter()
    for row in report.rows:
        assert row.figures.closes, (unit.code, row.unit.code)
        summed.update(row.figures.counts)
    assert +summed == +total.counts
    assert +total.counts == oracle.recount(unit, first, last, stretches), (unit.code, first, last)
    # The parent equals the sum of its children as the tree stood, on each side of the period.
    eve = first - dt.timedelta(days=1)
    own = next((r.figures for r in report.rows if r.own), f.Figures())
    for side, day in ((f.START, eve), (f.END, last)):
        children = children_then(unit, day)
        totals = [reports[c].total[side] for c in children]
        assert total[side] == own[side] + sum(totals), (unit.code, side)
    # A child that stood under the unit all along shows in its row exactly its own report,
    # but for what counts as "within": the child's own units in its report, the parent's in the
    # parent's. A row equals the sum of its sub-rows.
    for row in report.rows:
        if not row.own and stayed_under(row.unit.pk, unit, eve, last):
            child = reports[row.unit.pk].total
            assert _outside(child) == _outside(row.figures), (unit.code, row.unit.code)
        if not row.own:
            subs = Counter()
            for sub in row.subs:
                subs.update(sub.figures.counts)
            assert +subs == +row.figures.counts, (unit.code, row.unit.code)
    # Groups: the page's subtotals add up to the total, and each group to its lines.
    grouped = Counter()
    for group in report.groups():
        grouped.update(group.figures.counts)
        if group.row is None:
            lines = Counter()
            for line in group.rows:
                lines.update(line.figures.counts)
            assert +lines == +group.figures.counts
    assert +grouped == +total.counts


def _outside(figures: f.Figures) -> Counter:
    return +Counter({c: n for c, n in figures.counts.items() if c not in f.WITHIN_COLUMNS})


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    admissions=st.lists(admission, min_size=3, max_size=15),
    history=st.lists(operation, min_size=10, max_size=40),
    windows=st.lists(window, min_size=1, max_size=2),
)
def test_reports_close_add_up_and_equal_the_recount(db, admissions, history, windows):
    with transaction.atomic():
        world = World()
        for offset, op, a, b in sorted(admissions + history):
            try:
                with transaction.atomic():
                    world.apply(BASE + dt.timedelta(days=offset), op, a, b)
            except DomainError:
                pass  # the service refused this step (not allowed now): the history goes on
        stretches = oracle.stretches()
        recorded = set(
            Member.objects.filter(events__kind=EventKind.RECORDED).values_list("pk", flat=True)
        )
        for first, last in [(dt.date(2023, 1, 1), dt.date(2023, 12, 31)), *windows]:
            reports = Reports(first, last)
            for unit in Unit.objects.all():
                check_unit(unit, reports, stretches)
            # Recorded members are behind the recorded column, never behind the admitted one.
            behind = {
                column: set(
                    f.members_behind(
                        unit=world.root, first=first, last=last, cell=f.Cell(column)
                    ).values_list("pk", flat=True)
                )
                for column in (f.ADMITTED, f.RECORDED)
            }
            assert not behind[f.ADMITTED] & recorded
            assert behind[f.RECORDED] <= recorded
        transaction.set_rollback(True)
