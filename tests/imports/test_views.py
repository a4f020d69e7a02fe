"""The web import: upload, mapping, preview, commit, error report, templates, export, photos;
and refusals outside the officer's scope."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook
from PIL import Image

from tests.imports.helpers import FILES
from unionhub.audit.models import AuditEvent
from unionhub.core import jobs, scope
from unionhub.imports.models import BatchStatus, ColumnMapping, ImportBatch
from unionhub.members.models import Member

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def upload(client, name, unit_code="HT-DT-0001"):
    with (FILES / name).open("rb") as handle:
        return client.post(reverse("imports:index"), {"unit": unit_code, "file": handle})


def run_job(batch):
    return jobs.job_run(str(ImportBatch.objects.get(pk=batch.pk).job_id))


def test_upload_preview_errors_commit(client, registrar):
    login(client, registrar)
    response = upload(client, "errors.xlsx")
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response.url == reverse("imports:batch", args=[batch.pk])
    run_job(batch)
    page = client.get(response.url)
    assert page.status_code == 200
    content = page.content.decode()
    assert 'data-testid="count-errors">6<' in content
    assert "“Không rõ” không phải là giới tính. Hãy ghi Nam hoặc Nữ." in content
    report = client.get(reverse("imports:errors", args=[batch.pk]))
    assert report.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(report.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][0] == "Dòng gốc" and rows[0][-1] == "Lỗi"
    assert [r[0] for r in rows[1:]] == [2, 3, 4, 5, 6, 7]
    assert Member.objects.count() == 0
    assert client.post(reverse("imports:commit", args=[batch.pk])).status_code == 302
    run_job(batch)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE
    done = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert "Ông Thị Êm" in done


def test_the_error_report_goes_straight_back_in(client, registrar, check):
    login(client, registrar)
    upload(client, "errors.xlsx")
    batch = ImportBatch.objects.get()
    run_job(batch)
    batch.refresh_from_db()
    with batch.error_report.open("rb") as handle:
        data = handle.read()
    from unionhub.imports.reader import auto_mapping, read_table

    table = read_table(data, "errors-loi.xlsx")
    mapping = auto_mapping(table.headers)
    assert sorted(mapping.values()) == sorted(
        ["full_name", "birth_date", "gender", "id_number", "phone", "joined"]
    )
    assert [number for number, _cells in table.rows] == [2, 3, 4, 5, 6, 7]


def test_unknown_headers_ask_for_a_mapping_remembered_for_the_unit(client, registrar, tree):
    login(client, registrar)
    response = upload(client, "unknown_headers.xlsx")
    batch = ImportBatch.objects.get()
    assert batch.status == BatchStatus.NEEDS_MAPPING
    assert response.url == reverse("imports:map", args=[batch.pk])
    form = client.get(response.url)
    assert "Cột A" in form.content.decode()
    choice = {
        "col_0": "",
        "col_1": "full_name",
        "col_2": "birth_date",
        "col_3": "gender",
        "col_4": "id_number",
        "col_5": "phone",
        "col_6": "joined",
    }
    incomplete = client.post(response.url, {**choice, "col_6": ""})
    assert incomplete.status_code == 200
    assert ImportBatch.objects.get().status == BatchStatus.NEEDS_MAPPING
    assert client.post(response.url, choice).status_code == 302
    assert ColumnMapping.objects.filter(unit=tree.grassroots_a1).count() == 1
    run_job(batch)
    batch.refresh_from_db()
    assert batch.summary["counts"]["new"] == 1
    # The same layout again: recognised from the unit's memory, straight to the check.
    upload(client, "unknown_headers.xlsx")
    assert ImportBatch.objects.order_by("-pk").first().status == BatchStatus.ANALYSING


def test_out_of_scope_upload_batch_and_report_are_refused(client, registrar, officer_at, tree):
    login(client, registrar)
    assert upload(client, "errors.xlsx", unit_code="HT-CL-0001").status_code == 403
    upload(client, "errors.xlsx")
    batch = ImportBatch.objects.get()
    run_job(batch)
    outsider = officer_at(tree.grassroots_b1, scope.REGISTRAR)
    viewer = officer_at(tree.grassroots_a1, scope.VIEWER)
    for user in (outsider, viewer):
        login(client, user)
        for name in ("imports:batch", "imports:errors", "imports:map"):
            assert client.get(reverse(name, args=[batch.pk])).status_code == 403, name
        assert client.post(reverse("imports:commit", args=[batch.pk])).status_code == 403
    assert ImportBatch.objects.get().status == BatchStatus.PREVIEWED
    login(client, outsider)
    assert client.post(reverse("imports:export"), {"unit": "HT-DT-0001"}).status_code == 403
    image = io.BytesIO()
    with zipfile.ZipFile(image, "w") as archive:
        archive.writestr("x.jpg", b"")
    image.seek(0)
    response = client.post(
        reverse("imports:photos"),
        {"unit": "HT-DT-0001", "archive": SimpleUploadedFile("p.zip", image.read())},
    )
    assert response.status_code == 403


def test_templates_download_with_lists_and_instructions(client, registrar):
    login(client, registrar)
    response = client.get(reverse("imports:template_xlsx"))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Danh sách đoàn viên", "Danh mục", "Hướng dẫn"]
    sheet = workbook["Danh sách đoàn viên"]
    headers = [c.value for c in sheet[1]]
    assert headers[:4] == ["Họ và tên (*)", "Ngày sinh", "Giới tính (*)", "Loại giấy tờ"]
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert lists["C2:C5001"] == "'Danh mục'!$A$2:$A$3"
    assert sheet["E2"].number_format == "@"  # document numbers are text
    assert workbook["Danh mục"].sheet_state == "hidden"
    assert "Kinh" in [c.value for c in workbook["Danh mục"]["C"]]
    assert "HƯỚNG DẪN" in workbook["Hướng dẫn"]["A1"].value
    csv_response = client.get(reverse("imports:template_csv"))
    assert csv_response.content.startswith(b"\xef\xbb\xbfH\xe1\xbb\x8d v\xc3\xa0 t\xc3\xaan (*)")


def check_table(table, registrar, tree):
    from unionhub.imports import services
    from unionhub.imports.reader import auto_mapping

    return services.import_check(
        table=table, unit=tree.grassroots_a1, by=registrar, mapping=auto_mapping(table.headers)
    )


def test_the_template_itself_imports(client, registrar, tree, tmp_path):
    from unionhub.imports import template

    out = io.BytesIO()
    template.write_template(out)
    workbook = load_workbook(io.BytesIO(out.getvalue()))
    sheet = workbook.active
    values = ["Lê Thị Mẫu", "17/05/1990", "Nữ", "CCCD", "042190009999"]
    for column, value in zip("ABCDE", values, strict=True):
        sheet[f"{column}2"] = value
    sheet["S2"] = "01/06/2015"
    path = tmp_path / "mau.xlsx"
    workbook.save(path)
    from unionhub.imports.reader import auto_mapping, read_table

    table = read_table(path.read_bytes(), "mau.xlsx")
    # Every column of the template is recognised: the registry's 21 and the four consents.
    assert len(auto_mapping(table.headers)) == 25
    assert [number for number, _ in table.rows] == [2]
    outcome = check_table(table, registrar, tree)
    assert (outcome.counts["new"], outcome.counts["errors"]) == (1, 0)


def test_export_round_trips_through_import(client, registrar, commit, tree, check):
    commit("nfd_names.xlsx")
    commit("numeric_ids.xlsx")
    login(client, registrar)
    response = client.post(
        reverse("imports:export") + f"?unit={tree.grassroots_a1.pk}", {"unit": "HT-DT-0001"}
    )
    job = jobs.job_run(response.url.rstrip("/").split("/")[-1])
    assert job.message == "Đã xuất 4 đoàn viên."  # in the officer's language
    with job.result_file.open("rb") as handle:
        data = handle.read()
    from unionhub.imports import services
    from unionhub.imports.reader import auto_mapping, read_table

    table = read_table(data, "export.xlsx")
    again = services.import_check(
        table=table, unit=tree.grassroots_a1, by=registrar, mapping=auto_mapping(table.headers)
    )
    assert (again.counts["rows"], again.counts["unchanged"], again.counts["errors"]) == (4, 4, 0)
    assert AuditEvent.objects.filter(action="members.member.sensitive_viewed").count() == 4


def _photo(color) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 400), color).save(out, format="JPEG")
    return out.getvalue()


def test_photos_zip_matched_by_document_number(client, registrar, commit, tree):
    commit("merged_title.xlsx")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("anh/042191000301.jpg", _photo("red"))
        zipped.writestr("042087000302.png", b"not a picture")
        zipped.writestr("042000000000.jpg", _photo("blue"))
        zipped.writestr("ghi chu.txt", b"hello")
    login(client, registrar)
    response = client.post(
        reverse("imports:photos"),
        {"unit": "HT-DT-0001", "archive": SimpleUploadedFile("anh.zip", archive.getvalue())},
    )
    job = jobs.job_run(response.url.rstrip("/").split("/")[-1])
    assert job.message == "Đã gắn 1 ảnh, 1 ảnh không tìm thấy đoàn viên, 2 ảnh không hợp lệ."
    assert job.result["unmatched"] == ["042000000000.jpg"]
    with translation.override("vi"):
        not_a_picture = gettext(
            "This file is not a picture we can read. Upload a JPEG or PNG photo."
        )
    assert job.result["invalid"] == [
        ["042087000302.png", not_a_picture],
        ["ghi chu.txt", "Chỉ nhận tệp JPEG và PNG."],
    ]
    dung = Member.objects.get(id_number="042191000301")
    assert dung.photo and dung.photo_thumb and dung.version == 2
    assert not Member.objects.get(id_number="042087000302").photo


def test_unit_page_offers_import_to_registrars_only(client, registrar, officer_at, tree):
    login(client, registrar)
    page = client.get(reverse("orgs:unit", args=[tree.grassroots_a1.pk])).content.decode()
    assert 'data-testid="imports-panel"' in page
    login(client, officer_at(tree.grassroots_a1, scope.VIEWER))
    page = client.get(reverse("orgs:unit", args=[tree.grassroots_a1.pk])).content.decode()
    assert 'data-testid="imports-panel"' not in page
