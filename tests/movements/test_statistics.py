from __future__ import annotations

import datetime as dt
import io
import subprocess

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.dispatch.helpers import draft_and_issue
from tests.movements.helpers import campaign, entry
from unionhub.core import scope
from unionhub.dispatch.models import DocumentType, TargetKind
from unionhub.movements import awards, care, classification, selectors


def test_figures_per_child_unit_and_the_total(tree, officer_at, admit, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    chair = officer_at(tree.province, scope.UNIT_ADMIN)
    run = campaign(tree.province, chair)
    entry(run, tree.grassroots_a1, officer_at(tree.grassroots_a1, scope.CLERK))
    entry(run, tree.grassroots_b1, officer_at(tree.grassroots_b1, scope.CLERK), title="B")
    decision = draft_and_issue(unit=tree.province, by=chair, doc_type=DocumentType.DECISION,
                               targets=[(tree.district_a, TargetKind.UNIT)])  # fmt: skip
    level = awards.level_add(unit=tree.province, name="Giấy khen", certificate_title="Giấy khen",
                             by=chair)  # fmt: skip
    member = admit(unit=tree.grassroots_a1)
    awards.award_grant(level=level, decision=decision, reason="X", member=member, by=chair)
    today = timezone.localdate()
    clerk = officer_at(tree.grassroots_a1, scope.CLERK)
    for amount in (1_000_000, 500_000):  # the same member twice: one member supported
        record = care.support_propose(member=member, kind="sickness", date=today,
                                      fund="social_fund", amount=amount, by=clerk)  # fmt: skip
        care.support_approve(record=record, deciding_unit=tree.province, paid_on=today, by=chair)
    rows = selectors.statistics(user=chair, unit=tree.province, first=today, last=today)
    figures = {r.unit.pk: (r.entries, r.awards, r.members_supported, r.amount) for r in rows[:-1]}
    assert figures[tree.district_a.pk] == (1, 1, 1, 1_500_000)
    assert figures[tree.district_b.pk] == (1, 0, 0, 0)
    assert figures[tree.province.pk] == (0, 0, 0, 0)
    total = rows[-1]
    assert (total.entries, total.awards, total.members_supported, total.amount) == (
        2, 1, 1, 1_500_000
    )  # fmt: skip

    client = Client()
    client.force_login(chair)
    query = {"unit": tree.province.code, "first": today.isoformat(), "last": today.isoformat()}
    response = client.get(reverse("movements:statistics"), {**query, "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert next(sheet.iter_rows(min_row=sheet.max_row, values_only=True))[1:] == (
        2, 1, 1, 1_500_000, 0, 0
    )  # fmt: skip
    # A district officer cannot ask about the province.
    district = Client()
    district.force_login(officer_at(tree.district_b, scope.UNIT_ADMIN))
    page = district.get(reverse("movements:statistics"), query).content.decode()
    assert 'data-testid="statistics"' not in page


def _pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    pdf = b"".join(response.streaming_content)
    assert pdf.startswith(b"%PDF")
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return done.stdout.decode()


def test_the_statistics_print_as_pdf_in_the_official_layout(tree, officer_at, admit):
    chair = officer_at(tree.province, scope.UNIT_ADMIN)
    member = admit(unit=tree.grassroots_a1)
    clerk = officer_at(tree.grassroots_a1, scope.CLERK)
    today = timezone.localdate()
    for amount in (1_200_000, 300_000):
        record = care.support_propose(member=member, kind="sickness", date=today,
                                      fund="social_fund", amount=amount, by=clerk)  # fmt: skip
        care.support_approve(record=record, deciding_unit=tree.province, paid_on=today, by=chair)
    client = Client()
    client.force_login(chair)
    query = {"unit": tree.province.code, "first": today.isoformat(), "last": today.isoformat(),
             "export": "pdf"}  # fmt: skip
    text = _pdf_text(client.get(reverse("movements:statistics"), query))
    flat = " ".join(text.split())
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in flat
    assert "TM. BAN THƯỜNG VỤ" in flat and "NGƯỜI LẬP BIỂU" in flat
    assert tree.province.name.upper() in flat
    district_line = next(line for line in text.splitlines() if tree.district_a.name in line)
    assert district_line.split()[-6:] == ["0", "0", "1", "1.500.000", "0", "0"]
    total_line = next(line for line in text.splitlines() if "Tổng cộng" in line)
    assert total_line.split()[-6:] == ["0", "0", "1", "1.500.000", "0", "0"]
    # Scoped: a district officer asking for the province's PDF gets the form back, no file.
    district = Client()
    district.force_login(officer_at(tree.district_b, scope.UNIT_ADMIN))
    refused = district.get(reverse("movements:statistics"), query)
    assert refused["Content-Type"].startswith("text/html")
    assert "1.500.000" not in refused.content.decode()


def _class_scheme(unit, by, year, grades):
    return classification.classification_create(
        unit=unit, year=year, title=f"Phân loại {year}", criteria=[("Tổng hợp", 100)],
        grades=grades, by=by,
    )  # fmt: skip


def _class(scheme, union, by, points):
    return classification.assessment_score(
        classification=scheme, unit=union, points={scheme.criteria.get().pk: points}, by=by
    ).grade.name


def test_the_year_end_classes_per_unit_on_the_page_the_xlsx_and_the_pdf(tree, officer_at):
    chair = officer_at(tree.province, scope.UNIT_ADMIN)
    district_a = officer_at(tree.district_a, scope.UNIT_ADMIN)
    district_b = officer_at(tree.district_b, scope.UNIT_ADMIN)
    grades = [("Vững mạnh xuất sắc", 90, 1), ("Vững mạnh", 70, None), ("Hoàn thành", 0, None)]
    province_2026 = _class_scheme(tree.province, chair, 2026, grades)
    assert _class(province_2026, tree.grassroots_a1, district_a, 75) == "Vững mạnh"
    assert _class(province_2026, tree.grassroots_a2, district_a, 40) == "Hoàn thành"
    assert _class(province_2026, tree.grassroots_b1, district_b, 95) == "Vững mạnh xuất sắc"
    # The district's own scheme of the year is nearer to a2: a2 counts there, once.
    own = _class_scheme(tree.district_a, district_a, 2026, [("Khá", 60, None), ("Đạt", 0, None)])
    assert _class(own, tree.grassroots_a2, district_a, 65) == "Khá"
    # Another year's classes do not count.
    _class(_class_scheme(tree.province, chair, 2025, grades), tree.grassroots_b1, district_b, 10)

    rows = selectors.statistics(
        user=chair, unit=tree.province, first=dt.date(2026, 1, 1), last=dt.date(2026, 12, 31)
    )
    columns = ["Vững mạnh xuất sắc", "Vững mạnh", "Khá", "Hoàn thành", "Đạt"]
    assert [list(r.classes) for r in rows] == [columns] * 4
    by_unit = {r.unit.pk: list(r.classes.values()) for r in rows[:-1]}
    assert by_unit[tree.province.pk] == [0, 0, 0, 0, 0]
    assert by_unit[tree.district_a.pk] == [0, 1, 1, 0, 0]
    assert by_unit[tree.district_b.pk] == [1, 0, 0, 0, 0]
    assert list(rows[-1].classes.values()) == [1, 1, 1, 0, 0]

    client = Client()
    client.force_login(chair)
    query = {"unit": tree.province.code, "first": "2026-01-01", "last": "2026-12-31"}
    page = client.get(reverse("movements:statistics"), query).content.decode()
    assert page.count('data-testid="class"') == 5 and "Xếp loại 2026: Khá" in page
    response = client.get(reverse("movements:statistics"), {**query, "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    table = list(sheet.iter_rows(values_only=True))
    assert table[0][7:] == tuple(f"Xếp loại 2026: {c}" for c in columns)
    assert {r[0]: r[7:] for r in table[1:]} == {
        tree.province.name: (0, 0, 0, 0, 0),
        tree.district_a.name: (0, 1, 1, 0, 0),
        tree.district_b.name: (1, 0, 0, 0, 0),
        "Tổng cộng": (1, 1, 1, 0, 0),
    }
    text = _pdf_text(client.get(reverse("movements:statistics"), {**query, "export": "pdf"}))
    total_line = next(line for line in text.splitlines() if "Tổng cộng" in line)
    assert total_line.split()[-5:] == ["1", "1", "1", "0", "0"]
    assert "Khá" in text
    # A district sees its own unions' classes only.
    mine = selectors.statistics(
        user=district_b, unit=tree.district_b, first=dt.date(2026, 1, 1), last=dt.date(2026, 12, 31)
    )
    assert list(mine[-1].classes) == ["Vững mạnh xuất sắc", "Vững mạnh", "Hoàn thành"]
    assert list(mine[-1].classes.values()) == [1, 0, 0]
