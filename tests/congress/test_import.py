"""Delegates from XLSX: all rows or none, every problem reported with its row and column;
members are linked by their ID number, their name and unit then come from the record."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from unionhub.congress import services
from unionhub.congress.models import Delegate, Delegation
from unionhub.members import services as member_services

pytestmark = pytest.mark.django_db
HEADERS = ["Họ và tên", "Loại đại biểu", "Đoàn", "Số CCCD", "Chức vụ", "Ghế", "Đoàn chủ tịch"]


def xlsx(rows: list[list]) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


@pytest.fixture
def member(tree):
    return member_services.member_admit(
        unit=tree.grassroots_a1,
        by=tree.admin,
        joined=dt.date(2015, 3, 1),
        full_name="Phan Thị Thu Hà",
        gender="female",
        id_number="042190001234",
        birth_date=dt.date(1990, 5, 1),
    )


def test_import_creates_every_row_and_links_members(setup, member):
    before = Delegate.objects.filter(congress=setup.congress).count()
    rows = [
        HEADERS,
        ["", "chính thức", "Đoàn huyện Đức Thọ", "042190001234", "Chủ tịch CĐCS", "A12", ""],
        ["Lê Khách Mời", "Khách mời", "", "", "Giám đốc", "", ""],
        ["Ngô Văn Đương", "đương nhiên", "Đoàn cơ quan tỉnh", "", "", "", "x"],
    ]
    created = services.delegates_import(
        congress=setup.congress, file=xlsx(rows), by=setup.organiser
    )
    assert [d.full_name for d in created] == ["Phan Thị Thu Hà", "Lê Khách Mời", "Ngô Văn Đương"]
    linked = created[0]
    assert linked.member == member
    assert linked.affiliation == "Công đoàn Trường THCS Tùng Ảnh"
    assert (linked.category, linked.seat) == ("elected", "A12")
    assert created[1].category == "invited" and created[1].delegation is None
    assert created[2].presidium and created[2].category == "ex_officio"
    assert [d.number for d in created] == [before + 1, before + 2, before + 3]
    # Existing delegations are reused, not duplicated.
    assert Delegation.objects.filter(congress=setup.congress, name="Đoàn cơ quan tỉnh").count() == 1


def test_a_bad_row_rejects_the_whole_file_with_row_and_column(setup, member, tree):
    outsider = member_services.member_admit(
        unit=tree.grassroots_b1,
        by=tree.admin,
        joined=dt.date(2015, 3, 1),
        full_name="Người Ngoài",
        gender="male",
        id_number="042090005678",
        birth_date=dt.date(1990, 5, 1),
    )
    # A district congress: the member of the other district is outside it.
    district = services.congress_create(
        unit=tree.district_a, name="Đại hội huyện Đức Thọ", term="2023–2028", by=tree.admin
    )
    rows = [
        HEADERS,
        ["Đúng Một", "chính thức", "", "", "", "", ""],
        ["", "chính thức", "", "", "", "", ""],
        ["Sai Loại", "quan sát viên", "", "", "", "", ""],
        ["", "chính thức", "", outsider.id_number, "", "", ""],
        ["", "chính thức", "", member.id_number, "", "", ""],
        ["", "chính thức", "", member.id_number, "", "", ""],
    ]
    with pytest.raises(services.ImportRejected) as rejected:
        services.delegates_import(congress=district, file=xlsx(rows), by=tree.admin)
    problems = [(p.row, p.column) for p in rejected.value.problems]
    assert problems == [
        (3, "Họ và tên"),
        (4, "Loại đại biểu"),
        (5, "Số CCCD"),
        (7, "Số CCCD"),
    ]
    assert "dòng 6" in rejected.value.problems[-1].message
    assert not Delegate.objects.filter(congress=district).exists()


def test_missing_columns_and_unreadable_files_are_refused(setup):
    with pytest.raises(services.ImportRejected) as rejected:
        services.delegates_import(
            congress=setup.congress, file=xlsx([["Tên", "Ghế"]]), by=setup.organiser
        )
    assert [p.column for p in rejected.value.problems] == ["Họ và tên", "Loại đại biểu"]
    with pytest.raises(services.DomainError) as error:
        services.delegates_import(
            congress=setup.congress, file=io.BytesIO(b"not a workbook"), by=setup.organiser
        )
    assert error.value.code == "file_unreadable"


def test_headers_are_matched_as_the_member_import_matches_them(setup):
    rows = [
        ["DANH SÁCH ĐẠI BIỂU"],
        ["HỌ VÀ TÊN (*)", "Loại  đại biểu", "Ghế"],
        ["Lê Khách Mời", "Khách mời", "B3"],
    ]
    created = services.delegates_import(
        congress=setup.congress, file=xlsx(rows), by=setup.organiser
    )
    assert [(d.full_name, d.category, d.seat) for d in created] == [
        ("Lê Khách Mời", "invited", "B3")
    ]


def test_a_sheet_spanning_the_whole_grid_is_refused_and_nothing_is_imported(setup):
    before = Delegate.objects.filter(congress=setup.congress).count()
    bomb = Workbook()
    bomb.active.append(HEADERS)
    bomb.active["XFD1048576"] = "x"
    out = io.BytesIO()
    bomb.save(out)
    out.seek(0)
    with pytest.raises(services.DomainError) as refused:
        services.delegates_import(congress=setup.congress, file=out, by=setup.organiser)
    assert refused.value.code == "sheet_too_large"
    assert Delegate.objects.filter(congress=setup.congress).count() == before


def test_files_over_the_size_limit_are_refused(setup, settings):
    settings.UPLOAD_MAX_MB = {**settings.UPLOAD_MAX_MB, "delegate_import": 0}
    with pytest.raises(services.DomainError) as refused:
        services.delegates_import(congress=setup.congress, file=xlsx([HEADERS]), by=setup.organiser)
    assert refused.value.code == "file_too_large"


def test_import_page_shows_the_problems(client, setup):
    client.force_login(setup.organiser)
    upload = xlsx([HEADERS, ["Ai Đó", "không rõ", "", "", "", "", ""]])
    upload.name = "daibieu.xlsx"
    response = client.post(f"/congress/{setup.congress.pk}/delegates/import/", {"file": upload})
    page = response.content.decode()
    assert 'data-testid="import-problems"' in page and "không rõ" in page
