"""The province report on the demo province (DESIGN §1) across the 1 July 2025 reorganisation.

The demo is the run's one build of `unionhub demo --members 3000` (tests/demo_snapshot.py: the
tree has its full size, 1,473 grassroots unions, and members are scaled down for CI time), copied
for this module. Every expected number is counted here straight from the demo's rows
(units, placements, membership periods and events), never from the report engine.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db.models import Q

from tests import demo_snapshot as snapshots
from unionhub.demo import members as demo_members
from unionhub.demo import province as demo_province
from unionhub.members.models import EventKind, Gender, MembershipEvent, MembershipPeriod
from unionhub.orgs.models import Level, Placement, Unit
from unionhub.reports import fluctuation as f

pytestmark = pytest.mark.django_db

D = dt.date
REORG = demo_province.REORGANISATION
EVE = REORG - dt.timedelta(days=1)
H1 = (D(2025, 1, 1), EVE)
H2 = (REORG, D(2025, 12, 31))
YEAR = (D(2025, 1, 1), D(2025, 12, 31))


@pytest.fixture(scope="module")
def demo(demo_snapshot, django_db_blocker, tmp_path_factory):
    """The run's demo province (tests/demo_snapshot.py), a copy for this module."""
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), snapshots.installed(demo_snapshot, media):
        yield Unit.objects.get(code="HT")


def report(province, period):
    return f.fluctuation(unit=province, first=period[0], last=period[1])


# Counted from the demo's own rows ---------------------------------------------------------


def held_on(day: dt.date, units=None) -> int:
    """Membership periods covering `day` (in `units`, when given): members counted that day."""
    periods = MembershipPeriod.objects.filter(
        Q(start__lte=day) & (Q(end__isnull=True) | Q(end__gt=day))
    )
    if units is not None:
        periods = periods.filter(unit_id__in=units)
    return periods.count()


def suspended_on(day: dt.date) -> Counter:
    """Members whose last event up to `day` is a suspension, by unit: still members, but not
    counted (a suspension is a decrease)."""
    last: dict[int, tuple[str, int]] = {}
    events = MembershipEvent.objects.filter(date__lte=day).order_by("member_id", "date", "id")
    for member_id, kind, unit_id in events.values_list("member_id", "kind", "unit_id"):
        last[member_id] = (kind, unit_id)
    return Counter(unit for kind, unit in last.values() if kind == EventKind.SUSPENDED)


def grassroots_under(parent_ids, day: dt.date) -> set[int]:
    """Grassroots unions placed directly under one of `parent_ids` on `day`."""
    placements = Placement.objects.filter(
        Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gt=day)),
        parent_id__in=list(parent_ids),
        unit__level=Level.GRASSROOTS,
    )
    return set(placements.values_list("unit_id", flat=True))


def old_uppers(province) -> set[int]:
    return set(
        Unit.objects.filter(
            level=Level.DIRECT_UPPER, founded__lt=REORG, dissolved=REORG
        ).values_list("pk", flat=True)
    )


def commune_unions(province) -> set[int]:
    return set(
        Unit.objects.filter(level=Level.DIRECT_UPPER, founded=REORG).values_list("pk", flat=True)
    )


def rows_by_unit(result) -> dict[int, f.Row]:
    return {row.unit.pk: row for row in result.rows if not row.own}


def total_of(rows, column: str) -> int:
    return sum(row.figures[column] for row in rows)


# The tests --------------------------------------------------------------------------------


def test_first_half_of_2025_shows_1473_unions_under_the_15_old_upper_units(demo):
    uppers = old_uppers(demo)
    assert len(uppers) == 15
    unions = grassroots_under(uppers, EVE)
    assert len(unions) == demo_province.GRASSROOTS_BEFORE == 1473

    result = report(demo, H1)
    total = result.total
    assert total[f.UNITS_START] == total[f.UNITS_END] == 1473
    rows = rows_by_unit(result)
    assert set(rows) == uppers
    for upper, row in rows.items():
        assert row.figures[f.UNITS_END] == len(grassroots_under([upper], EVE))
        assert row.figures[f.END] == held_on(EVE, grassroots_under([upper], EVE))
    assert total[f.START] == held_on(H1[0] - dt.timedelta(days=1))
    assert total[f.END] == held_on(EVE)
    assert all(row.figures.closes for row in result.rows) and total.closes


def test_members_on_30_june_2025_are_the_demo_s_own_count(demo):
    """The demo writes exactly round(N × 72,059 / 70,000) members holding membership on the eve
    of the reorganisation (suspended ones included), round(… × 37,253 / 72,059) of them in the
    442 unions that move under the province."""
    holding = round(
        snapshots.MEMBERS * demo_members.HOLDING_AT_REORGANISATION / demo_members.SCALE_BASE
    )
    in_direct = round(
        holding * demo_members.IN_DIRECT_UNIONS / demo_members.HOLDING_AT_REORGANISATION
    )
    direct = grassroots_under([demo.pk], REORG)
    assert len(direct) == demo_province.DIRECT_AFTER == 442
    suspended = suspended_on(EVE)

    end_of_h1 = report(demo, H1).total[f.END]
    assert end_of_h1 + suspended.total() == holding
    second_half = rows_by_unit(report(demo, H2))
    moved_in = total_of([second_half[u] for u in direct], f.TRANSFERRED_IN_REORG)
    assert moved_in == held_on(EVE, direct)
    assert moved_in + sum(suspended[u] for u in direct) == in_direct


def test_second_half_of_2025_shows_the_new_structure(demo):
    direct = grassroots_under([demo.pk], REORG)
    communes = commune_unions(demo)
    assert len(communes) == 69
    closed = set(
        Unit.objects.filter(level=Level.GRASSROOTS, dissolved=REORG).values_list("pk", flat=True)
    )
    assert closed and not closed & direct

    result = report(demo, H2)
    total = result.total
    rows = rows_by_unit(result)
    standing = {unit for unit, row in rows.items() if row.at_end}
    assert standing == direct | communes
    assert {unit for unit, row in rows.items() if not row.at_end} == old_uppers(demo)
    assert total[f.UNITS_START] == 1473
    assert total[f.UNITS_DISSOLVED] == len(closed)
    assert total[f.UNITS_MOVED_OUT] == total[f.UNITS_MOVED_IN] == 1473 - len(closed)
    assert (
        total[f.UNITS_END]
        == 1473 - len(closed)
        == len(direct) + len(grassroots_under(communes, REORG))
    )
    for unit in direct:
        row = rows[unit].figures
        assert (row[f.START], row[f.UNITS_MOVED_IN], row[f.UNITS_END]) == (0, 1, 1)
        assert row[f.END] == held_on(H2[1], [unit])
    for unit in old_uppers(demo):
        assert (rows[unit].figures[f.END], rows[unit].figures[f.UNITS_END]) == (0, 0)
    assert all(row.figures.closes for row in result.rows) and total.closes


def test_members_moved_by_the_reorganisation_are_transferred_not_admitted_or_lost(demo):
    everyone = held_on(EVE)
    direct = grassroots_under([demo.pk], REORG)
    communes = commune_unions(demo)
    result = report(demo, H2)
    total = result.total
    rows = rows_by_unit(result)
    # Every upper unit was dissolved, so every member counted on 30 June moved once, out of
    # an old upper unit and into a new row.
    assert total[f.START] == everyone
    assert total[f.TRANSFERRED_OUT_REORG] == total[f.TRANSFERRED_IN_REORG] == everyone
    assert total_of([rows[u] for u in old_uppers(demo)], f.TRANSFERRED_OUT_REORG) == everyone
    assert total_of([rows[u] for u in direct], f.TRANSFERRED_IN_REORG) == held_on(EVE, direct)
    assert total_of([rows[u] for u in communes], f.TRANSFERRED_IN_REORG) == everyone - held_on(
        EVE, direct
    )
    assert total[f.OTHER_INCREASE] == total[f.OTHER_DECREASE] == 0
    admitted = MembershipEvent.objects.filter(
        kind=EventKind.ADMITTED, date__gte=H2[0], date__lte=H2[1]
    )
    assert total[f.ADMITTED] == admitted.count()
    for kind, column in ((EventKind.LEFT, f.LEFT), (EventKind.RETIRED, f.RETIRED)):
        events = MembershipEvent.objects.filter(kind=kind, date__gte=H2[0], date__lte=H2[1])
        assert total[column] == events.count()
    assert total[f.END] == held_on(H2[1])


def test_members_recorded_when_books_opened_fill_their_own_column_in_both_halves(demo):
    for period, where in ((H1, old_uppers(demo)), (H2, commune_unions(demo))):
        result = report(demo, period)
        total = result.total
        recorded = MembershipEvent.objects.filter(
            kind=EventKind.RECORDED, date__gte=period[0], date__lte=period[1]
        )
        assert total[f.RECORDED] == recorded.count() > 0, period
        assert total.closes and all(row.figures.closes for row in result.rows)
        # The rows that hold them: the old upper units before July, the communes after.
        assert (
            total_of([r for r in result.rows if r.unit.pk in set(where)], f.RECORDED)
            == (total[f.RECORDED])
        )
        # Recorded members joined the union long before, and are not counted as admitted.
        admitted = MembershipEvent.objects.filter(
            kind=EventKind.ADMITTED, date__gte=period[0], date__lte=period[1]
        )
        assert total[f.ADMITTED] == admitted.count()
        assert recorded.filter(member__joined__lt=D(2020, 1, 1)).exists()


def test_year_2025_closes_from_the_old_tree_to_the_new(demo):
    result = report(demo, YEAR)
    total = result.total
    closed = Unit.objects.filter(level=Level.GRASSROOTS, dissolved=REORG).count()
    assert (total[f.UNITS_START], total[f.UNITS_END]) == (1473, 1473 - closed)
    assert total[f.START] == held_on(D(2024, 12, 31))
    assert total[f.END] == held_on(YEAR[1])
    women = MembershipPeriod.objects.filter(
        Q(start__lte=YEAR[1]) & (Q(end__isnull=True) | Q(end__gt=YEAR[1])),
        member__gender=Gender.FEMALE,
    )
    assert total[f.END_WOMEN] == women.count() > 0
    assert total.closes
    assert all(row.figures.closes for row in result.rows)
    # The two halves chain: the year is the first half's start and the second half's end.
    assert report(demo, H1).total[f.END] == report(demo, H2).total[f.START]
