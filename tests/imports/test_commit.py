"""The commit: all-or-nothing per file, idempotent, run by the background job."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from tests.imports.helpers import FILES
from unionhub.audit.models import AuditEvent
from unionhub.core import jobs
from unionhub.core.models import JobStatus
from unionhub.imports import bulk, services
from unionhub.imports.models import BatchStatus, ImportBatch
from unionhub.members.models import Member, MembershipEvent, MembershipPeriod, Transfer

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "members": Member.objects.count(),
        "events": MembershipEvent.objects.count(),
        "periods": MembershipPeriod.objects.count(),
        "transfers": Transfer.objects.count(),
        "audit": AuditEvent.objects.count(),
        "rows": list(Member.objects.order_by("pk").values_list("pk", "full_name", "version")),
    }


def upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (FILES / name).read_bytes())


def test_importing_the_same_file_twice_changes_nothing_the_second_time(commit, tree):
    first = commit("merged_title.xlsx")
    assert first.counts["new"] == 2
    before = snapshot()
    second = commit("merged_title.xlsx")
    assert (second.counts["new"], second.counts["updated"], second.counts["unchanged"]) == (0, 0, 2)
    after = snapshot()
    # Only the import's own summary row is added to the audit trail.
    assert after["audit"] == before["audit"] + 1
    assert {k: v for k, v in after.items() if k != "audit"} == {
        k: v for k, v in before.items() if k != "audit"
    }


def test_a_failure_midway_leaves_the_database_exactly_as_before(commit, admit, tree, monkeypatch):
    admit(unit=tree.grassroots_b1, full_name="Đinh Văn Khoa", id_number="042090000501")
    before = snapshot()
    real_run = bulk.Writer._run
    written = []

    def run_then_fail_on_periods(cursor, statements):
        """The writer's thread inserts the members and events, then fails on the periods."""
        periods = next(
            i
            for i, (sql, _params) in enumerate(statements)
            if sql.startswith(f'INSERT INTO "{MembershipPeriod._meta.db_table}"')
        )
        real_run(cursor, statements[:periods])
        cursor.execute(f'SELECT COUNT(*) FROM "{Member._meta.db_table}"')
        written.append(cursor.fetchone()[0])
        raise IntegrityError("disk full")

    monkeypatch.setattr(bulk.Writer, "_run", staticmethod(run_then_fail_on_periods))
    with pytest.raises(IntegrityError, match="disk full"):
        commit("active_elsewhere.xlsx")
    assert written and written[0] > before["members"]
    assert snapshot() == before


def test_a_job_killed_midway_is_marked_failed_and_wrote_nothing(tree, registrar, monkeypatch):
    batch = services.import_upload(
        unit=tree.grassroots_a1, by=registrar, language="en", upload=upload("duplicates.xlsx")
    )
    jobs.job_run(str(batch.job_id))
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PREVIEWED
    services.import_commit_start(batch=batch, by=registrar, language="en")
    batch.refresh_from_db()
    before = snapshot()
    calls = []

    def crash_after_first_step(self, step=1):
        calls.append(step)
        if len(calls) > 3:  # after the check of a few rows, in the middle of the work
            raise RuntimeError("worker killed")

    monkeypatch.setattr(jobs.Progress, "advance", crash_after_first_step)
    job = jobs.job_run(str(batch.job_id))
    assert job.status == JobStatus.FAILED
    assert job.message == "An unexpected error stopped the work; nothing was saved."
    batch.refresh_from_db()
    assert batch.status == BatchStatus.FAILED
    assert snapshot() == before


def test_upload_check_and_commit_through_the_jobs(tree, registrar):
    batch = services.import_upload(
        unit=tree.grassroots_a1, by=registrar, language="en", upload=upload("errors.xlsx")
    )
    assert batch.status == BatchStatus.ANALYSING
    job = jobs.job_run(str(batch.job_id))
    assert job.status == JobStatus.DONE
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PREVIEWED
    assert batch.summary["counts"]["errors"] == 6
    assert Member.objects.count() == 0  # the dry run wrote nothing
    assert batch.error_report
    services.import_commit_start(batch=batch, by=registrar, language="en")
    job = jobs.job_run(str(ImportBatch.objects.get(pk=batch.pk).job_id))
    assert job.status == JobStatus.DONE
    assert (job.done, job.total, job.percent) == (14, 14, 100)
    assert job.message == (
        "7 rows: 1 new, 0 updated, 0 unchanged, 0 transfer requests, 6 errors, 0 warnings"
    )
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE and batch.committed is not None
    assert list(Member.objects.values_list("full_name", flat=True)) == ["Ông Thị Êm"]


def test_a_checked_file_is_committed_once(tree, registrar):
    batch = services.import_upload(
        unit=tree.grassroots_a1, by=registrar, language="en", upload=upload("blank_rows.xlsx")
    )
    jobs.job_run(str(batch.job_id))
    services.import_commit_start(batch=batch, by=registrar, language="en")
    from unionhub.core.errors import DomainError

    with pytest.raises(DomainError) as refused:
        services.import_commit_start(batch=batch, by=registrar, language="en")
    assert refused.value.code == "batch_not_ready"


def test_updates_go_through_the_registry_with_version_and_audit(commit, admit, tree):
    member = admit(
        unit=tree.grassroots_a1,
        full_name="Võ Thị Dung",
        gender="female",
        id_number="042191000301",
        birth_date=None,
        phone="",
    )
    outcome = commit("merged_title.xlsx")
    assert (outcome.counts["new"], outcome.counts["updated"]) == (1, 1)
    member.refresh_from_db()
    assert member.phone == "0912000301"
    assert str(member.birth_date) == "1991-04-03"
    assert member.version == 2
    entry = AuditEvent.objects.filter(
        action="members.member.updated", target_id=str(member.pk)
    ).get()
    assert entry.data["changes"]["phone"] == ["", "0912000301"]
    # The union join date is a fact about the person: the file corrects it, and the
    # member's membership events stay as they were.
    assert [p.message for p in outcome.analysis.problems if p.row == 5] == []
    assert entry.data["changes"]["joined"][0] == "2020-03-01"
    assert member.joined == dt.date.fromisoformat(entry.data["changes"]["joined"][1])
    assert member.events.get().date == dt.date(2020, 3, 1)


def test_empty_cells_never_erase(commit, admit, tree):
    member = admit(
        unit=tree.grassroots_a1, full_name="Bùi Văn Giang", id_number="042090000401",
        phone="0912999999", birth_date=None,
    )  # fmt: skip
    commit("duplicates.xlsx")
    member.refresh_from_db()
    assert member.phone == "0912999999"  # the file's phone cell is empty


def _import(table, unit, by):
    from unionhub.imports.reader import auto_mapping

    return services.members_import(
        table=table, unit=unit, by=by, mapping=auto_mapping(table.headers), filename="list.xlsx"
    )


def test_rows_may_name_units_inside_the_chosen_one(tree, registrar, tmp_path):
    from openpyxl import Workbook

    from unionhub.imports.reader import read_table

    book = Workbook()
    book.active.append(["Họ và tên", "Giới tính", "Ngày vào công đoàn", "Mã công đoàn cơ sở"])
    book.active.append(["Lê Văn Một", "Nam", "01/01/2015", "HT-DT-0002"])
    book.active.append(["Lê Văn Hai", "Nam", "01/01/2015", "HT-CL-0001"])
    book.save(tmp_path / "units.xlsx")
    table = read_table((tmp_path / "units.xlsx").read_bytes(), "units.xlsx")
    outcome = _import(table, tree.district_a, registrar)
    assert outcome.counts["new"] == 1 and outcome.counts["errors"] == 1
    assert Member.objects.get(full_name="Lê Văn Một").unit == tree.grassroots_a2
    assert outcome.analysis.failed_rows()[0].errors == [
        "Mã công đoàn cơ sở: There is no grassroots union with code HT-CL-0001 inside Liên đoàn "
        "Lao động huyện Đức Thọ that you register members for. Correct the code or leave it empty."
    ]


@pytest.fixture
def mui(tree, admit):
    return admit(
        unit=tree.grassroots_a1, full_name="Nguyễn Thị Mùi", gender="female",
        id_number="042177000501", birth_date=dt.date(1977, 2, 22), phone="",
    )  # fmt: skip


def _list(tmp_path, *rows):
    from openpyxl import Workbook

    from unionhub.imports.reader import read_table

    book = Workbook()
    book.active.append(["Họ và tên", "Giới tính", "Ngày sinh", "Số CCCD", "Ngày vào công đoàn"])
    for row in rows:
        book.active.append(row)
    book.save(tmp_path / "list.xlsx")
    return read_table((tmp_path / "list.xlsx").read_bytes(), "list.xlsx")


def test_a_row_with_someone_elses_document_number_is_refused_not_taken_for_them(
    tree, registrar, admit, mui, tmp_path
):
    doan = admit(
        unit=tree.grassroots_a2, full_name="Nguyễn Thị Đoan", gender="female",
        id_number="042180000502", birth_date=dt.date(1980, 5, 1),
    )  # fmt: skip
    # A mistyped number: another person's, in this union and in the sibling one.
    table = _list(
        tmp_path,
        ["Trần Văn Hùng", "Nam", "01/01/1990", "042177000501", "01/01/2015"],
        ["Phạm Văn Tèo", "Nam", "02/02/1985", "042180000502", "01/01/2015"],
    )
    outcome = _import(table, tree.grassroots_a1, registrar)
    errors = {row.number: row.errors for row in outcome.analysis.failed_rows()}
    assert sorted(errors) == [2, 3]
    assert "Nguyễn Thị Mùi" in errors[2][0] and "check the number" in errors[2][0]
    mui.refresh_from_db()
    assert (mui.full_name, mui.gender, mui.version) == ("Nguyễn Thị Mùi", "female", 1)
    assert not Transfer.objects.filter(member=doan).exists()
    assert outcome.counts["new"] == 0


def test_the_holders_name_written_another_way_is_still_the_holder(tree, registrar, mui, tmp_path):
    from unionhub.imports.reader import auto_mapping

    table = _list(
        tmp_path,
        ["NGUYEN THI MUI", "Nữ", "22/02/1977", "042177000501", "01/01/2015"],
        ["Nguyễn Thị Mùi Em", "Nữ", "", "042177000501", "01/01/2015"],
    )
    outcome = services.import_check(
        table=table, unit=tree.grassroots_a1, by=registrar, mapping=auto_mapping(table.headers)
    )
    errors = {row.number: row.errors for row in outcome.analysis.failed_rows()}
    # The first row is the holder, the second the same person twice (no stranger).
    assert list(errors) == [3] and "check the number" not in errors[3][0]
    assert outcome.counts["unchanged"] + outcome.counts["updated"] == 1
    assert mui.version == 1


def test_a_member_listed_without_their_document_number_is_not_added_twice(
    tree, registrar, mui, tmp_path
):

    table = _list(tmp_path, ["Nguyễn Thị Mùi", "Nữ", "22/02/1977", "", "01/01/2015"])
    outcome = _import(table, tree.grassroots_a1, registrar)
    assert outcome.counts["new"] == 0 and outcome.counts["errors"] == 0
    assert Member.objects.filter(name_folded="nguyen thi mui").count() == 1
    mui.refresh_from_db()
    assert mui.id_number == "042177000501"


def test_a_name_whose_header_is_merged_over_two_columns_is_imported_whole(
    tree, registrar, tmp_path
):
    from openpyxl import Workbook

    from unionhub.imports.reader import read_table

    book = Workbook()
    sheet = book.active
    sheet.append(["STT", "Họ và tên", None, None, "Giới tính", "Ngày vào công đoàn"])
    sheet.merge_cells("B1:C1")
    sheet.append([1, "Nguyễn Văn", "Hùng", "x", "Nam", "01/01/2015"])
    sheet.append([2, "Trần Thị Thu", "Hà", None, "Nữ", "01/01/2016"])
    sheet.append([3, "Lê Văn Tám", None, 8, "Nam", "01/01/2017"])
    book.save(tmp_path / "merged.xlsx")
    table = read_table((tmp_path / "merged.xlsx").read_bytes(), "merged.xlsx")
    outcome = _import(table, tree.grassroots_a1, registrar)
    assert outcome.counts["new"] == 3
    names = set(Member.objects.values_list("full_name", flat=True))
    # A tick or a number in a headerless column is not part of anyone's name.
    assert names == {"Nguyễn Văn Hùng", "Trần Thị Thu Hà", "Lê Văn Tám"}
