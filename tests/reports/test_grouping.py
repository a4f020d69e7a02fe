"""The report grouped as the page shows it: groups with subtotals, lines under them, transfers
within the reported unit said apart from those across its boundary, and the period in words."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from tests.factories import transfer
from unionhub.orgs.models import Level, Unit
from unionhub.reports import exports
from unionhub.reports import fluctuation as f
from unionhub.reports.periods import Period, parse

D = dt.date
YEAR_2024 = "from=2024-01-01&to=2024-12-31"


@pytest.fixture
def moves(tree, admit_member):
    """Two members in Đức Thọ's first union: one moves to its second union (inside the
    district), one to Can Lộc's union (inside the province, out of the district)."""
    inside, across = (admit_member(tree.grassroots_a1, D(2023, 2, 1)) for _ in range(2))
    admit_member(tree.grassroots_b1, D(2023, 2, 1))
    transfer(inside, tree.grassroots_a2, D(2024, 5, 2), tree.admin)
    transfer(across, tree.grassroots_b1, D(2024, 6, 3), tree.admin)


def _report(unit):
    return f.fluctuation(unit=unit, first=D(2024, 1, 1), last=D(2024, 12, 31))


@pytest.mark.django_db
def test_transfers_within_the_unit_are_shown_apart_from_those_across_its_boundary(tree, moves):
    district = _report(tree.district_a).total
    assert (district[f.TRANSFERRED_OUT], district[f.TRANSFERRED_OUT_WITHIN]) == (2, 1)
    assert (district[f.TRANSFERRED_IN], district[f.TRANSFERRED_IN_WITHIN]) == (1, 1)
    province = _report(tree.province).total
    # Both moves stay inside the province: as many in as out, all of them within.
    assert province[f.TRANSFERRED_IN] == province[f.TRANSFERRED_IN_WITHIN] == 2
    assert province[f.TRANSFERRED_OUT] == province[f.TRANSFERRED_OUT_WITHIN] == 2
    union = _report(tree.grassroots_a1).total
    assert (union[f.TRANSFERRED_OUT], union[f.TRANSFERRED_OUT_WITHIN]) == (2, 0)
    # "Of which" parts never change the arithmetic.
    assert district.closes and province.closes and union.closes


@pytest.mark.django_db
def test_province_rows_carry_their_unions_as_sub_rows(tree, moves):
    report = _report(tree.province)
    groups = report.groups()
    assert [g.key for g in groups] == [f"u{tree.district_b.pk}", f"u{tree.district_a.pk}"]
    by_key = {g.key: g for g in groups}
    district_a = by_key[f"u{tree.district_a.pk}"]
    assert [r.unit.code for r in district_a.rows] == ["HT-DT-0002", "HT-DT-0001"]
    # The district's row counts the move between its unions within the province.
    assert district_a.figures[f.TRANSFERRED_OUT_WITHIN] == 2
    summed = Counter()
    for row in district_a.rows:
        summed.update(row.figures.counts)
    assert +summed == +district_a.figures.counts


@pytest.mark.django_db
def test_district_gathers_its_unions_under_one_subtotal(tree, moves):
    groups = _report(tree.district_a).groups()
    assert [g.key for g in groups] == ["direct"]
    assert groups[0].label == "Công đoàn cơ sở trực thuộc Liên đoàn Lao động huyện Đức Thọ"
    assert groups[0].figures[f.END] == 1


def _synthetic(rows: list[tuple[int, int, dict]]) -> f.FluctuationReport:
    """A report built in memory: (pk, level, counts) per row; the first row with the root's pk
    is its own members."""
    root = Unit(pk=1, code="HT", name="Tỉnh", level=Level.PROVINCE)
    report_rows = []
    total = f.Figures()
    for pk, level, counts in rows:
        unit = root if pk == 1 else Unit(pk=pk, code=f"U{pk}", name=f"Đơn vị {pk}", level=level)
        figures = f.Figures(Counter(counts))
        total.counts.update(counts)
        subs = [f.Row(unit=unit, figures=figures, own=True)] if level < Level.GRASSROOTS else []
        report_rows.append(f.Row(unit=unit, figures=figures, own=pk == 1, subs=subs))
    return f.FluctuationReport(root, D(2025, 7, 1), D(2025, 12, 31), total, report_rows, False)


counts = st.dictionaries(st.sampled_from(f.COLUMNS), st.integers(0, 5000), max_size=6)
rows = st.lists(
    st.tuples(
        st.integers(1, 60),
        st.sampled_from([Level.DIRECT_UPPER, Level.GRASSROOTS, Level.SUB_UNIT]),
        counts,
    ),
    max_size=25,
    unique_by=lambda r: r[0],
)


@settings(deadline=None)  # timing is no part of the property; the machine may be busy
@given(rows)
def test_subtotals_of_the_groups_add_up_to_the_total(rows):
    report = _synthetic(rows)
    summed = Counter()
    for group in report.groups():
        summed.update(group.figures.counts)
        if group.row is None:
            lines = Counter()
            for row in group.rows:
                lines.update(row.figures.counts)
            assert +lines == +group.figures.counts
    assert +summed == +report.total.counts
    lines = exports.lines(report)
    assert [line.values for line in lines if line.level is None] == [
        [report.total[c] for c in exports.COLUMNS]
    ]
    # Exports sum the same way: the groups' lines (level 0) add up to the total line.
    column_sums = [
        sum(v) for v in zip(*(line.values for line in lines if line.level == 0), strict=True)
    ]
    assert column_sums in ([], lines[-1].values)


def test_periods_are_named_in_words():
    assert parse({"period": "half-2", "year": "2025"}) == Period(D(2025, 7, 1), D(2025, 12, 31))
    assert parse({"period": "month-2", "year": "2024"}) == Period(D(2024, 2, 1), D(2024, 2, 29))
    assert parse({"kind": "quarter", "number": "3", "year": "2025"}).first == D(2025, 7, 1)
    with translation.override("vi"):
        assert Period(D(2025, 7, 1), D(2025, 12, 31)).label == (
            "Nửa cuối năm 2025 (01/07/2025 – 31/12/2025)"
        )
        assert Period(D(2025, 4, 1), D(2025, 6, 30)).label.startswith("Quý II năm 2025")
    with translation.override("en"):
        assert Period(D(2025, 1, 1), D(2025, 6, 30)).label.startswith("First half of 2025")
    assert Period(D(2025, 1, 5), D(2025, 2, 3)).label == "05/01/2025 – 03/02/2025"


@pytest.mark.django_db
def test_page_is_collapsed_and_a_group_opens_with_its_unions(client, tree, officer_at, moves):
    client.force_login(officer_at(tree.province))
    page = client.get(f"/reports/?unit=HT&{YEAR_2024}").content.decode()
    assert f'data-testid="toggle-u{tree.district_a.pk}"' in page
    assert "Công đoàn Trạm Y tế xã Đức Lạng" not in page  # collapsed
    table = page[page.index('data-testid="fluctuation-table"') : page.index("</table>")]
    assert " style=" not in table  # the CSP: the layout lives in the app's style sheet
    assert "2 in and 2 out" not in page  # Vietnamese by default
    assert "Chuyển giữa các đơn vị thuộc Liên đoàn Lao động tỉnh Hà Tĩnh: 2 đến và 2 đi" in page
    rows = client.get(f"/reports/group/?unit=HT&{YEAR_2024}&group=u{tree.district_a.pk}")
    assert rows.status_code == 200
    assert "Công đoàn Trạm Y tế xã Đức Lạng" in rows.content.decode()
    assert client.get(f"/reports/group/?unit=HT&{YEAR_2024}&group=u0").status_code == 404


@pytest.mark.django_db
def test_the_period_select_shows_the_period_asked_for(client, tree, officer_at, moves):
    client.force_login(officer_at(tree.province))
    page = client.get("/reports/?unit=HT&period=half-2&year=2024")
    assert page.context["form"]["period"].value() == "half-2"
    body = page.content.decode()
    assert "Nửa cuối năm (tháng 7 – tháng 12)" in body
    assert "Nửa cuối năm 2024" in body
    # A link with dates that make a quarter selects that quarter.
    page = client.get("/reports/?unit=HT&from=2024-04-01&to=2024-06-30")
    assert page.context["form"]["period"].value() == "quarter-2"


@pytest.mark.django_db
def test_xlsx_groups_its_lines_as_the_page_does(client, tree, officer_at, moves):
    client.force_login(officer_at(tree.province))
    page = client.get(f"/reports/?unit=HT&{YEAR_2024}&expand=all")
    shown = []
    for group, _head, lines in page.context["blocks"]:
        shown.append((0, group.row.unit.name))
        shown += [(1, line.row.unit.name) for line in lines]
    response = client.get(f"/reports/export/?unit=HT&{YEAR_2024}&format=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    exported = [
        (sheet.row_dimensions[row[0].row].outline_level, row[1].value)
        for row in sheet.iter_rows(min_row=10)
        if row[0].value and row[1].value
    ]
    assert exported == shown
    assert sheet.sheet_properties.outlinePr.summaryBelow is False


@pytest.mark.django_db
def test_exports_speak_the_language_active_when_made(client, tree, officer_at, moves):
    client.force_login(officer_at(tree.province))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get(f"/reports/export/?unit=HT&{YEAR_2024}&format=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    groups, headings = [c.value for c in sheet[8]], [c.value for c in sheet[9]]
    assert "Increases" in groups and "Tăng" not in groups
    assert "Transferred in" in headings and "of which from its own units" in headings
