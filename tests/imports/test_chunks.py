"""Files are read, checked and written in chunks, each distinct cell value converted once: the
outcome is the one of checking the whole file at once, row for row and message for message."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook

from tests.imports.test_commit import snapshot
from unionhub.core import jobs
from unionhub.imports import pipeline, services
from unionhub.imports.reader import auto_mapping, read_table
from unionhub.imports.services import commit as commit_services
from unionhub.members import services as member_services
from unionhub.members.models import LeaveReason, Member, MembershipEvent

pytestmark = pytest.mark.django_db

HEADERS = ["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Nghề nghiệp", "Ngày vào công đoàn"]
ROWS = [
    ["Lê Văn An", "01/02/1990", "Nam", "042090000001", "Công nhân", "01/03/2015"],
    ["Lê Thị Bình", "02/03/1991", "Nữ", "042191000002", "Công nhân", "01/03/2015"],
    None,  # a blank row between chunks
    ["Lê Văn Cường", "03/04/1992", "Nam", "042092000003", "Kỹ sư", "01/03/2015"],
    ["Lê Văn An", "01/02/1990", "Nam", "042090000001", "Công nhân", "01/03/2015"],
    ["Lê Thị Bình", "02/03/1991", "Nữ", "042191000002", "Giáo viên", "01/03/2015"],
    ["Lê Văn Dũng", "31/02/1993", "Nam", "042093000004", "Kỹ sư", "01/03/2015"],
    ["Lê Văn Em", "04/05/1994", "Nam", "042094000005", "Kỹ sư", "01/03/2015"],
]


def write(tmp_path, rows, name="chunks.xlsx"):
    book = Workbook()
    book.active.append(HEADERS)
    for row in rows:
        book.active.append(row or [])
    path = tmp_path / name
    book.save(path)
    return read_table(path.read_bytes(), name)


def run(table, tree, registrar, *, commit=False, advance=None):
    kwargs = {
        "table": table,
        "unit": tree.grassroots_a1,
        "by": registrar,
        "mapping": auto_mapping(table.headers),
        "advance": advance,
    }
    if commit:
        return services.members_import(filename="chunks.xlsx", **kwargs)
    return services.import_check(**kwargs)


def outcome_facts(outcome):
    return (
        outcome.counts,
        [(plan.number, plan.action, plan.errors) for plan in outcome.analysis.rows],
        [p.as_dict() for p in outcome.analysis.problems],
    )


def test_chunks_of_two_rows_give_the_outcome_of_the_whole_file(
    tree, registrar, tmp_path, monkeypatch
):
    table = write(tmp_path, ROWS)
    whole = outcome_facts(run(table, tree, registrar))
    monkeypatch.setattr(pipeline, "CHUNK_ROWS", 2)
    chunked = run(table, tree, registrar)
    assert outcome_facts(chunked) == whole
    assert chunked.counts == {
        "rows": 7, "new": 4, "updated": 0, "unchanged": 1, "transfer": 0, "errors": 2,
        "warnings": 1, "blank_rows": 1,
    }  # fmt: skip
    assert [(p.row, p.letter, p.message) for p in chunked.analysis.problems] == [
        (6, "", "Same as row 2; imported once."),
        (7, "D", "Row 3 has the same person with different details. Keep one row per person."),
        (8, "B", "“31/02/1993” is not a date. Write it as dd/mm/yyyy, for example 17/05/1990."),
    ]
    # The error report keeps the failed rows' cells; the written rows keep none.
    assert [(plan.number, plan.cells[0]) for plan in chunked.analysis.failed_rows()] == [
        (7, "Lê Thị Bình"),
        (8, "Lê Văn Dũng"),
    ]
    assert all(plan.cells == [] for plan in chunked.analysis.rows if plan.action != "error")


def test_a_committed_chunked_file_equals_its_dry_run(tree, registrar, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "CHUNK_ROWS", 2)
    table = write(tmp_path, ROWS)
    checked = outcome_facts(run(table, tree, registrar))
    committed = run(table, tree, registrar, commit=True)
    assert outcome_facts(committed) == checked
    assert sorted(Member.objects.values_list("id_number", "occupation")) == [
        ("042090000001", "Công nhân"),
        ("042092000003", "Kỹ sư"),
        ("042094000005", "Kỹ sư"),
        ("042191000002", "Công nhân"),
    ]
    assert sorted(committed.member_ids) == sorted(Member.objects.values_list("pk", flat=True))
    assert MembershipEvent.objects.filter(kind="recorded").count() == 4
    again = run(table, tree, registrar, commit=True)
    assert (again.counts["new"], again.counts["unchanged"], again.counts["errors"]) == (0, 5, 2)


def test_a_failure_in_a_later_chunk_undoes_the_chunks_written_before(
    tree, registrar, tmp_path, monkeypatch
):
    monkeypatch.setattr(pipeline, "CHUNK_ROWS", 2)
    table = write(tmp_path, ROWS)
    before = snapshot()
    real_admit = services.members_bulk_create
    calls = []

    def admit_then_fail(**kwargs):
        calls.append(len(kwargs["plans"]))
        if len(calls) == 3:  # two chunks are written by now
            kwargs["writer"].wait()
            assert Member.objects.count() == before["members"] + 3
            raise RuntimeError("disk full")
        return real_admit(**kwargs)

    # The commit calls the bulk write where it imports it from (services.admissions).
    monkeypatch.setattr(commit_services, "members_bulk_create", admit_then_fail)
    with pytest.raises(RuntimeError):
        run(table, tree, registrar, commit=True)
    assert snapshot() == before


def test_progress_counts_every_sheet_row_once_per_pass(tree, registrar, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "CHUNK_ROWS", 3)
    table = write(tmp_path, [*ROWS, None, None, ["Lê Văn Giang", "", "Nam", "", "", "01/03/2015"]])
    assert table.size == 11  # rows below the header, the blank ones included
    steps = []
    run(table, tree, registrar, advance=steps.append)
    assert sum(steps) == 11 and all(step > 0 for step in steps)
    steps.clear()
    outcome = run(table, tree, registrar, commit=True, advance=steps.append)
    assert sum(steps) == 22  # the check, then the writes
    assert outcome.counts["blank_rows"] == 3


def test_the_job_progress_reaches_the_total_with_blank_rows(tree, registrar):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.imports.helpers import FILES

    data = (FILES / "blank_rows.xlsx").read_bytes()
    batch = services.import_upload(
        unit=tree.grassroots_a1,
        by=registrar,
        language="en",
        upload=SimpleUploadedFile("blank_rows.xlsx", data),
    )
    job = jobs.job_run(str(batch.job_id))
    assert job.total == read_table(data, "blank_rows.xlsx").size == 4
    assert (job.done, job.percent) == (4, 100)


def test_equal_cells_of_different_types_are_read_apart(tree, registrar, tmp_path):
    """The cache of converted values keys on the type too: True == 1 == 1.0 in Python."""
    rows = [
        ["Lê Văn An", "", "Nam", "042090000001", True, "01/03/2015"],
        ["Lê Văn Bình", "", "Nam", "042090000002", 1, "01/03/2015"],
        ["Lê Văn Cường", "", "Nam", "042090000003", 1.5, "01/03/2015"],
    ]
    outcome = run(write(tmp_path, rows), tree, registrar, commit=True)
    assert outcome.counts["new"] == 3
    assert sorted(Member.objects.values_list("full_name", "occupation")) == [
        ("Lê Văn An", "Yes"),
        ("Lê Văn Bình", "1"),
        ("Lê Văn Cường", "1.5"),
    ]


def test_former_members_start_again_and_the_deceased_are_refused(tree, registrar, tmp_path, admit):
    left = admit(full_name="Lê Văn An", id_number="042090000001", joined=dt.date(2012, 1, 1))
    member_services.member_leave(
        member=left, date=dt.date(2014, 6, 1), reason=LeaveReason.RESIGNED, by=tree.admin
    )
    died = admit(full_name="Lê Thị Bình", gender="female", id_number="042191000002")
    member_services.member_decease(member=died, date=dt.date(2021, 1, 1), by=tree.admin)
    outcome = run(write(tmp_path, ROWS[:2]), tree, registrar, commit=True)
    assert [(p.row, p.severity, p.message) for p in outcome.analysis.problems] == [
        (
            2,
            "warning",
            "Lê Văn An was a member of Công đoàn Trường THCS Tùng Ảnh until 01/06/2014 (Left); "
            "a new membership starts.",
        ),
        (
            3,
            "error",
            "The member with this document, Lê Thị Bình of Công đoàn Trường THCS Tùng Ảnh, is "
            "recorded as deceased.",
        ),
    ]
    assert Member.objects.filter(id_number="042090000001").count() == 2
    assert Member.objects.get(id_number="042090000001", state="active").joined == dt.date(
        2015, 3, 1
    )
