"""The fluctuation report on small, hand-made histories."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from tests.factories import transfer
from tests.reports import oracle
from unionhub.members import services as members
from unionhub.members.models import LeaveReason
from unionhub.orgs import services as orgs
from unionhub.orgs.models import Level
from unionhub.reports import fluctuation as f
from unionhub.reports.fluctuation import Cell

pytestmark = pytest.mark.django_db

D = dt.date


def report(unit, first, last):
    return f.fluctuation(unit=unit, first=first, last=last)


@pytest.fixture
def history(tree, admit_member):
    """2023: three members in A1, one in A2, two in B1. 2024: a transfer A1 → B1 (1 March), a
    suspension in A2 (1 April), A2 moves from district A to district B (1 July), one member of
    B1 leaves (1 September)."""
    a1 = [admit_member(tree.grassroots_a1, D(2023, 3, 1), female=i == 0) for i in range(3)]
    a2 = [admit_member(tree.grassroots_a2, D(2023, 3, 1)) for _ in range(2)]
    b1 = [admit_member(tree.grassroots_b1, D(2023, 5, 1), female=True) for _ in range(2)]
    transfer(a1[1], tree.grassroots_b1, D(2024, 3, 1), tree.admin)
    members.member_suspend(member=a2[0], date=D(2024, 4, 1), by=tree.admin)
    orgs.unit_move(
        unit=tree.grassroots_a2, new_parent=tree.district_b, effective=D(2024, 7, 1), by=tree.admin
    )
    members.member_leave(
        member=b1[0], date=D(2024, 9, 1), reason=LeaveReason.RESIGNED, by=tree.admin
    )
    return {"a1": a1, "a2": a2, "b1": b1}


def test_start_is_the_eve_so_admissions_on_the_first_day_count_once(tree, admit_member):
    admit_member(tree.grassroots_a1, D(2024, 1, 1))
    year = report(tree.grassroots_a1, D(2024, 1, 1), D(2024, 12, 31)).total
    assert (year[f.START], year[f.ADMITTED], year[f.END]) == (0, 1, 1)
    before = report(tree.grassroots_a1, D(2023, 1, 1), D(2023, 12, 31)).total
    assert before[f.END] == 0


def test_district_report_for_2024_follows_the_tree_as_it_stood(tree, history):
    district_a = report(tree.district_a, D(2024, 1, 1), D(2024, 12, 31))
    total = district_a.total
    assert total[f.START] == 5
    assert total[f.TRANSFERRED_OUT] == 1 + 1  # the transfer to B1, then A2's remaining member
    assert total[f.TRANSFERRED_OUT_REORG] == 1
    assert total[f.SUSPENDED] == 1
    assert total[f.END] == 2
    assert total[f.UNITS_START] == 2 and total[f.UNITS_MOVED_OUT] == 1 and total[f.UNITS_END] == 1
    assert total.closes
    rows = {r.unit.code: r for r in district_a.rows}
    assert rows["HT-DT-0002"].figures[f.END] == 0 and not rows["HT-DT-0002"].at_end
    assert rows["HT-DT-0002"].figures[f.TRANSFERRED_OUT_REORG] == 1

    district_b = report(tree.district_b, D(2024, 1, 1), D(2024, 12, 31)).total
    assert district_b[f.START] == 2
    assert district_b[f.TRANSFERRED_IN] == 2 and district_b[f.TRANSFERRED_IN_REORG] == 1
    assert district_b[f.LEFT] == 1
    assert district_b[f.END] == 3 and district_b[f.END_WOMEN] == 1
    assert district_b.closes


def test_province_counts_moves_inside_it_both_ways(tree, history):
    province = report(tree.province, D(2024, 1, 1), D(2024, 12, 31)).total
    assert province[f.START] == 7 and province[f.END] == 5
    assert province[f.TRANSFERRED_IN] == province[f.TRANSFERRED_OUT] == 2
    assert province[f.UNITS_MOVED_IN] == province[f.UNITS_MOVED_OUT] == 1
    assert province.closes


def test_each_number_is_its_drill_down_list(tree, history):
    for unit in (tree.province, tree.district_a, tree.district_b, tree.grassroots_a2):
        result = report(unit, D(2024, 1, 1), D(2024, 12, 31))
        for row in [None, *(r.unit.pk for r in result.rows)]:
            figures = (
                result.total
                if row is None
                else next(r.figures for r in result.rows if r.unit.pk == row)
            )
            for column in f.MEMBER_COLUMNS:
                behind = f.members_behind(
                    unit=unit, first=D(2024, 1, 1), last=D(2024, 12, 31), cell=Cell(column, row)
                )
                assert behind.count() == figures[column], (unit.code, row, column)
            for column in f.UNIT_COLUMNS:
                behind = f.units_behind(
                    unit=unit, first=D(2024, 1, 1), last=D(2024, 12, 31), cell=Cell(column, row)
                )
                assert behind.count() == figures[column], (unit.code, row, column)


def test_transferred_in_drill_down_names_the_member(tree, history):
    moved = history["a1"][1]
    behind = f.members_behind(
        unit=tree.grassroots_b1,
        first=D(2024, 1, 1),
        last=D(2024, 3, 31),
        cell=Cell(f.TRANSFERRED_IN),
    )
    assert list(behind) == [moved]


@pytest.mark.parametrize(
    ("first", "last"),
    [
        (D(2024, 1, 1), D(2024, 12, 31)),
        (D(2024, 1, 1), D(2024, 6, 30)),
        (D(2024, 7, 1), D(2024, 12, 31)),
        (D(2024, 6, 30), D(2024, 7, 1)),
        (D(2023, 1, 1), D(2025, 6, 30)),
    ],
)
def test_report_equals_the_member_by_member_recount(tree, history, first, last):
    for unit in (
        tree.root,
        tree.province,
        tree.district_a,
        tree.district_b,
        tree.grassroots_a1,
        tree.grassroots_a2,
        tree.grassroots_b1,
    ):
        engine = +f.fluctuation(unit=unit, first=first, last=last).total.counts
        assert engine == oracle.recount(unit, first, last), unit.code


def test_merged_union_members_count_as_transferred_and_the_union_as_dissolved(tree, admit_member):
    for _ in range(3):
        admit_member(tree.grassroots_a2, D(2023, 1, 10))
    orgs.unit_dissolve(
        unit=tree.grassroots_a2,
        effective=D(2024, 7, 1),
        merged_into=tree.grassroots_b1,
        by=tree.admin,
    )
    half = report(tree.province, D(2024, 7, 1), D(2024, 12, 31))
    total = half.total
    assert total[f.TRANSFERRED_OUT_REORG] == total[f.TRANSFERRED_IN_REORG] == 3
    assert total[f.UNITS_DISSOLVED] == 1 and total[f.UNITS_END] == 2
    assert total[f.START] == total[f.END] == 3


def test_a_unit_founded_in_the_period_starts_at_zero(tree, admit_member):
    new = orgs.unit_found(
        code="HT-DT-0009",
        name="Công đoàn Công ty Mới",
        level=Level.GRASSROOTS,
        parent=tree.district_a,
        founded=D(2024, 2, 1),
        by=tree.admin,
    )
    admit_member(new, D(2024, 2, 2))
    total = report(tree.district_a, D(2024, 1, 1), D(2024, 12, 31)).total
    assert total[f.UNITS_FOUNDED] == 1 and total[f.UNITS_START] == 2 and total[f.UNITS_END] == 3
    assert total[f.ADMITTED] == 1 and total.closes


def test_the_report_takes_a_fixed_number_of_queries(tree, history, django_assert_num_queries):
    """The fluctuation report's queries do not grow with the units or members: pinned. (The
    province is part of the country: its women are counted from its members' ids, in two
    queries on SQLite, in one on PostgreSQL, where the whole country's take one.)"""
    with django_assert_num_queries(12 if connection.vendor == "sqlite" else 11):
        assert report(tree.province, D(2024, 1, 1), D(2024, 12, 31)).total[f.START] == 7
