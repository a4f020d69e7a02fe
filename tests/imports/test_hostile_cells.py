"""Cells and files a tester sent that crashed the import or slipped past it: full-width digits in
a document number, invisible characters in names and headers, Excel's UTF-16 "Unicode Text",
absurd years, and a report that cannot be written."""

from __future__ import annotations

import codecs

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl.utils.exceptions import IllegalCharacterError

from tests.factories import cccd
from unionhub.core import jobs
from unionhub.core.models import JobStatus
from unionhub.imports import report, services
from unionhub.imports.models import BatchStatus, ImportBatch
from unionhub.imports.reader import auto_mapping, read_table
from unionhub.members.models import Member

pytestmark = pytest.mark.django_db

HEADER = "Họ và tên,Ngày sinh,Giới tính,Số CCCD/CMND/Hộ chiếu,Ngày vào công đoàn\n"
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _outcome(text: str, unit, by, *, name: str = "ds.csv", commit: bool = False, data=None):
    table = read_table(data if data is not None else text.encode(), name)
    arguments = dict(table=table, unit=unit, by=by, mapping=auto_mapping(table.headers))
    if commit:
        return services.members_import(**arguments, filename=name)
    return services.import_check(**arguments)


def _problems(outcome):
    return [(p.row, p.letter, p.message) for p in outcome.analysis.problems]


def test_a_full_width_citizen_id_is_checked_and_stored_in_ascii_digits(tree, registrar):
    number = cccd(1301)
    lines = HEADER + f"Lê Văn Toàn,02/02/1990,Nam,{number.translate(FULL_WIDTH)},01/03/2019\n"
    outcome = _outcome(lines, tree.grassroots_a1, registrar)
    assert outcome.counts["new"] == 1 and outcome.counts["errors"] == 0, _problems(outcome)
    _outcome(lines, tree.grassroots_a1, registrar, commit=True)
    assert Member.objects.get().id_number == number


def test_invisible_characters_leave_the_name_and_the_person_is_found_again(tree, registrar):
    lines = (
        HEADER
        + f"\ufeffLê\u200bVăn\u00ad Em\x07,03/03/1991,Nam,{cccd(1302)},01/03/2019\n"
        + f"Nguyễn Thị\u200b Hoa,04/04/1992,Nữ,{cccd(1303, female=True)}\u200b,01/03/2019\n"
    )
    _outcome(lines, tree.grassroots_a1, registrar, commit=True)
    assert sorted(Member.objects.values_list("full_name", "id_number")) == [
        ("Lê Văn Em", cccd(1302)),
        ("Nguyễn Thị Hoa", cccd(1303, female=True)),
    ]
    # The same people, typed clean: nobody new.
    again = HEADER + f"Lê Văn Em,03/03/1991,Nam,{cccd(1302)},01/03/2019\n"
    assert _outcome(again, tree.grassroots_a1, registrar).counts["new"] == 0


def test_excel_unicode_text_utf16_tab_separated_imports_its_rows(tree, registrar):
    text = (
        "STT\tHọ và tên\tNgày sinh\tGiới tính\tSố CCCD\tNgày vào công đoàn\r\n"
        f"1\tNguyễn Thị Hương\t12/03/1986\tNữ\t{cccd(1304, female=True, year=1986)}\t01/09/2010\r\n"
        f"2\tĐặng Văn Quý\t05/11/1979\tNam\t{cccd(1305, year=1979)}\t15/08/2005\r\n"
    )
    data = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    outcome = _outcome("", tree.grassroots_a1, registrar, name="ds.txt", data=data)
    assert outcome.analysis.table.encoding == "utf-16"
    assert outcome.counts["new"] == 2 and outcome.counts["errors"] == 0, _problems(outcome)
    _outcome("", tree.grassroots_a1, registrar, name="ds.txt", data=data, commit=True)
    assert sorted(Member.objects.values_list("full_name", flat=True)) == [
        "Nguyễn Thị Hương",
        "Đặng Văn Quý",
    ]


def test_absurd_years_are_errors_of_their_cells(tree, registrar):
    lines = (
        HEADER
        + f"Lê Văn Một,05/03/0985,Nam,{cccd(1306)},01/03/2019\n"
        + f"Lê Văn Hai,05/03/1885,Nam,{cccd(1307)},01/03/2019\n"
        + f"Lê Văn Ba,05/03/1985,Nam,{cccd(1308, year=1985)},1/1/0001\n"
    )
    outcome = _outcome(lines, tree.grassroots_a1, registrar)
    assert outcome.counts["errors"] == 3 and outcome.counts["new"] == 0
    assert [p for p in _problems(outcome) if "has the year" in p[2]] == [
        (2, "B", "“05/03/0985” has the year 985; a date here must fall between 1900 and 2100."),
        (3, "B", "“05/03/1885” has the year 1885; a date here must fall between 1900 and 2100."),
        (4, "E", "“1/1/0001” has the year 1; a date here must fall between 1900 and 2100."),
    ]


def _upload_and_run(client, registrar, data: bytes) -> ImportBatch:
    client.force_login(registrar)
    client.post(
        reverse("imports:index"),
        {"unit": "HT-DT-0001", "file": SimpleUploadedFile("ds.csv", data, content_type="text/csv")},
    )
    batch = ImportBatch.objects.get()
    jobs.job_run(str(batch.job_id))
    batch.refresh_from_db()
    return batch


def test_a_header_with_a_control_character_still_gets_its_error_report(client, tree, registrar):
    data = (
        "Họ và tên,Giới tính,Ngày vào công đoàn,Ghi chú\x07\nLê Văn Chuông,Nam,xx/01/2010,a\n"
    ).encode()
    batch = _upload_and_run(client, registrar, data)
    assert batch.status == BatchStatus.PREVIEWED
    assert batch.error_report


def test_a_report_that_cannot_be_written_fails_the_batch_not_leaves_it_checking(
    client, tree, registrar, monkeypatch
):
    def unwritable(analysis, out):
        raise IllegalCharacterError("Ghi chú\x07 cannot be used in worksheets.")

    monkeypatch.setattr(report, "write_error_report", unwritable)
    data = (HEADER + f"Lê Văn Chuông,02/02/1990,Nam,{cccd(1309)},xx/01/2010\n").encode()
    batch = _upload_and_run(client, registrar, data)
    assert batch.status == BatchStatus.FAILED
    job = batch.job
    assert job.status == JobStatus.FAILED
    with translation.override("vi"):  # the job speaks the uploader's language
        assert job.message == gettext("An unexpected error stopped the work; nothing was saved.")


def test_a_committed_import_whose_report_fails_stays_done(tree, registrar, monkeypatch):
    """The rows are written: a failed batch could be imported a second time."""

    def unwritable(analysis, out):
        raise IllegalCharacterError("cannot be used in worksheets.")

    monkeypatch.setattr(report, "write_error_report", unwritable)
    lines = (
        HEADER
        + f"Lê Văn Một,02/02/1990,Nam,{cccd(1310)},01/03/2019\n"
        + f"Lê Văn Hai,02/02/1990,Nam,{cccd(1311)},xx/01/2010\n"
    )
    batch = ImportBatch.objects.create(
        unit=tree.grassroots_a1,
        owner=registrar,
        filename="ds.csv",
        source=SimpleUploadedFile("ds.csv", lines.encode()),
        status=BatchStatus.COMMITTING,
        mapping={
            str(index): key
            for index, key in auto_mapping(read_table(lines.encode(), "ds.csv").headers).items()
        },
    )
    job = jobs.job_start(
        kind=services.COMMIT_JOB, title="x", owner=registrar, params={"batch": batch.pk}
    )
    job = jobs.job_run(str(job.pk))
    batch.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert batch.status == BatchStatus.DONE and batch.committed is not None
    assert list(Member.objects.values_list("full_name", flat=True)) == ["Lê Văn Một"]
