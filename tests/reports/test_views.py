"""Pages, exports, API and CLI of the reports, and their scoping."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.factories import transfer
from unionhub.audit.models import AuditEvent
from unionhub.core import scope
from unionhub.reports import fluctuation as f

pytestmark = pytest.mark.django_db

D = dt.date
YEAR_2024 = "from=2024-01-01&to=2024-12-31"


@pytest.fixture
def members(tree, admit_member):
    a1 = [
        admit_member(tree.grassroots_a1, D(2023, 2, 1), female=True, ethnicity="Kinh")
        for _ in range(3)
    ]
    b1 = admit_member(tree.grassroots_b1, D(2023, 2, 1), ethnicity="Mường")
    transfer(a1[0], tree.grassroots_a2, D(2024, 5, 2), tree.admin)
    return [*a1, b1]


def test_report_page_shows_the_table_with_links_to_each_number(client, tree, officer_at, members):
    client.force_login(officer_at(tree.district_a))
    page = client.get(f"/reports/?unit=HT-DT&{YEAR_2024}")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Công đoàn Trường THCS Tùng Ảnh" in body
    assert f"column={f.TRANSFERRED_IN}&amp;row={tree.grassroots_a2.pk}" in body
    total = {c: page.context["report"].total[c] for c in (f.START, f.END)}
    assert total == {f.START: 3, f.END: 3}


def test_year_half_and_quarter_pick_their_dates(client, tree, officer_at, members):
    client.force_login(officer_at(tree.district_a))
    page = client.get("/reports/?unit=HT-DT&kind=half&year=2024&number=2")
    assert (page.context["period"].first, page.context["period"].last) == (
        D(2024, 7, 1),
        D(2024, 12, 31),
    )
    page = client.get("/reports/?unit=HT-DT&kind=quarter&year=2024&number=2")
    assert page.context["period"].last == D(2024, 6, 30)


def test_officer_cannot_report_outside_their_subtree(client, tree, officer_at, members):
    client.force_login(officer_at(tree.district_a))
    assert client.get(f"/reports/?unit=HT-CL&{YEAR_2024}").status_code == 403
    assert client.get(f"/reports/export/?unit=HT&{YEAR_2024}&format=xlsx").status_code == 403
    drill = f"/reports/numbers/?unit=HT-CL&{YEAR_2024}&column=end"
    assert client.get(drill).status_code == 403
    api = client.get(f"/api/v1/reports/fluctuation/?unit=HT&{YEAR_2024}")
    assert api.status_code == 403 and api.json()["code"] == "out_of_scope"


def test_api_gives_the_report_as_json(client, tree, officer_at, members):
    client.force_login(officer_at(tree.district_a))
    data = client.get(f"/api/v1/reports/fluctuation/?unit=HT-DT&{YEAR_2024}").json()
    assert data["unit"] == "HT-DT" and data["total"]["transferred_in"] == 1
    assert data["total"]["transferred_out"] == 1


def test_drill_down_lists_the_members_and_exports_them(client, tree, officer_at, members):
    client.force_login(officer_at(tree.district_a))
    url = f"/reports/numbers/?unit=HT-DT&{YEAR_2024}&column=transferred_in&row="
    page = client.get(url)
    assert page.status_code == 200
    assert members[0].full_name in page.content.decode()
    assert members[1].full_name not in page.content.decode()
    export = client.get(url + "&format=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        members[0].full_name
    ]


def test_drill_down_of_units(client, tree, officer_at, members):
    client.force_login(officer_at(tree.province))
    page = client.get(f"/reports/numbers/?unit=HT&{YEAR_2024}&column=units_end")
    assert page.context["page_obj"].paginator.count == 3


def test_xlsx_export_has_the_official_layout(client, tree, officer_at, members):
    client.force_login(officer_at(tree.district_a))
    response = client.get(f"/reports/export/?unit=HT-DT&{YEAR_2024}&format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    texts = [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    joined = "\n".join(texts)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in joined
    assert "BÁO CÁO BIẾN ĐỘNG ĐOÀN VIÊN" in joined
    assert "Liên đoàn Lao động huyện Đức Thọ (HT-DT)" in joined
    assert "01/01/2024" in joined and "31/12/2024" in joined
    assert "NGƯỜI LẬP BIỂU" in joined and "ngày" in joined
    headings = [c.value for c in sheet[9]]
    assert "Chuyển đến" in headings
    total_row = next(r for r in sheet.iter_rows(values_only=True) if r[1] == "Tổng cộng")
    start = headings.index("Đoàn viên đầu kỳ")
    assert total_row[start] == 3


def test_pdf_export_carries_the_vietnamese_text(client, tree, officer_at, members):
    client.force_login(officer_at(tree.district_a))
    response = client.get(f"/reports/export/?unit=HT-DT&{YEAR_2024}&format=pdf")
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF")
    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert "Liên đoàn Lao động huyện Đức Thọ" in text
    assert "BÁO CÁO BIẾN ĐỘNG ĐOÀN VIÊN" in text


def test_cli_writes_json_xlsx_and_pdf(tree, members, tmp_path):
    out = tmp_path / "report.json"
    call_command(
        "report", "fluctuation", "--unit", "HT", "--from", "2024-01-01", "--to", "2024-12-31",
        "--format", "json", "--out", str(out),
    )  # fmt: skip
    data = json.loads(out.read_text())
    assert data["total"]["end"] == 4 and data["total"]["start"] == 4
    for kind, magic in (("xlsx", b"PK"), ("pdf", b"%PDF")):
        path = tmp_path / f"report.{kind}"
        call_command(
            "report", "fluctuation", "--unit", "HT-DT", "--from", "2024-01-01",
            "--to", "2024-12-31", "--format", kind, "--out", str(path),
        )  # fmt: skip
        assert path.read_bytes().startswith(magic)


def test_cli_as_an_officer_is_scoped(tree, officer_at, members, tmp_path):
    user = officer_at(tree.district_a)
    with pytest.raises(CommandError):
        call_command(
            "report", "fluctuation", "--unit", "HT-CL", "--from", "2024-01-01",
            "--to", "2024-12-31", "--out", str(tmp_path / "x.json"), "--as", user.username,
        )  # fmt: skip


def test_statistics_show_charts_and_hide_ethnicity_from_viewers(client, tree, officer_at, members):
    client.force_login(officer_at(tree.district_a, scope.VIEWER))
    page = client.get("/reports/statistics/?unit=HT-DT")
    body = page.content.decode()
    assert page.status_code == 200 and body.count("<svg") >= 5
    assert page.context["stats"].total == 3 and page.context["stats"].women == 3
    assert page.context["stats"].by_ethnicity is None
    assert not AuditEvent.objects.filter(action="reports.statistics.sensitive_viewed").exists()

    client.force_login(officer_at(tree.district_a, scope.REGISTRAR))
    page = client.get("/reports/statistics/?unit=HT-DT")
    assert page.context["stats"].by_ethnicity == [("Kinh", 3)]
    assert AuditEvent.objects.filter(action="reports.statistics.sensitive_viewed").count() == 1
    assert client.get("/reports/statistics/?unit=HT-CL").status_code == 403


def test_completeness_ranking_exports(client, tree, officer_at, members):
    client.force_login(officer_at(tree.province))
    response = client.get("/reports/statistics/?unit=HT&format=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    codes = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(codes) == ["HT-CL-0001", "HT-DT-0001", "HT-DT-0002"]


def test_unit_fields_are_the_shared_searchable_picker(client, tree, officer_at):
    """The report's and the round's unit are chosen by typing, not by remembering a code; the
    round's picker offers only units where the officer may open a round."""
    client.force_login(officer_at(tree.district_a, scope.REGISTRAR))
    report = client.get("/reports/?unit=HT-DT&" + YEAR_2024).content.decode()
    assert "data-unit-picker" in report and 'value="HT-DT"' in report
    round_page = client.get("/reports/rounds/new/").content.decode()
    assert "data-unit-picker" in round_page and "role=registrar" in round_page
