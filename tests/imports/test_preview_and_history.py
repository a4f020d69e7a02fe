"""The preview lists the changes person by person and every error of a row; the dry run's
wording promises nothing saved; the import history and the cancel of a pending import."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import admit, cccd
from unionhub.core import jobs
from unionhub.imports import services
from unionhub.imports.models import BatchStatus, ImportBatch
from unionhub.imports.reader import auto_mapping, read_table
from unionhub.members.models import Member

pytestmark = pytest.mark.django_db

HEADER = "Họ và tên,Ngày sinh,Giới tính,Số CCCD/CMND/Hộ chiếu,Ngày vào công đoàn,Số điện thoại\n"


def _table(lines: list[str]):
    return read_table((HEADER + "\n".join(lines) + "\n").encode(), "danh-sach.csv")


def _check(table, unit, by):
    return services.import_check(table=table, unit=unit, by=by, mapping=auto_mapping(table.headers))


def test_every_error_of_a_row_is_shown(tree, registrar):
    future = (timezone.localdate() + dt.timedelta(days=30)).strftime("%d/%m/%Y")
    outcome = _check(
        _table([f"Nguyễn Văn A,{future},Không rõ,12345,01/03/2020,0912345678"]),
        tree.grassroots_a1,
        registrar,
    )
    errors = [(p.letter, p.message) for p in outcome.analysis.problems if p.severity == "error"]
    letters = {letter for letter, _message in errors}
    # The date of birth, the gender and the document: three errors, not the first only.
    assert {"B", "C", "D"} <= letters, errors
    assert outcome.counts["errors"] == 1  # one row


def test_preview_lists_who_is_added_and_what_changes(tree, registrar):
    member = admit(
        tree.grassroots_a1,
        tree.admin,
        full_name="Trần Thị Bình",
        gender="female",
        birth_date=dt.date(1990, 5, 17),
        id_number=cccd(901, female=True),
        phone="0911111111",
    )
    outcome = _check(
        _table(
            [
                f"Trần Thị Bình,17/05/1990,Nữ,{member.id_number},01/03/2020,0922222222",
                f"Lê Văn Cường,02/02/1988,Nam,{cccd(902)},01/03/2019,",
            ]
        ),
        tree.grassroots_a1,
        registrar,
    )
    changes = {c["name"]: c for c in outcome.analysis.changes}
    assert changes["Lê Văn Cường"]["action"] == "new"
    assert changes["Lê Văn Cường"]["birth_date"] == "02/02/1988"
    updated = changes["Trần Thị Bình"]
    assert updated["action"] == "updated"
    assert updated["fields"] == [["phone", "0911111111", "0922222222"]]


def test_the_batch_page_shows_the_changes_and_a_year_only_date_is_not_called_saved(
    client, tree, registrar, settings
):
    client.force_login(registrar)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    data = (HEADER + f"Lê Văn Cường,1988,Nam,{cccd(903)},01/03/2019,\n").encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("ds.csv", data, content_type="text/csv")
    client.post(reverse("imports:index"), {"unit": "HT-DT-0001", "file": upload})
    batch = ImportBatch.objects.get()
    jobs.job_run(str(ImportBatch.objects.get(pk=batch.pk).job_id))
    page = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert 'data-testid="changes"' in page and "Lê Văn Cường" in page
    assert "đã lưu" not in page
    assert Member.objects.count() == 0


def test_a_checked_import_can_be_cancelled_and_not_committed(
    client, tree, registrar, django_capture_on_commit_callbacks
):
    client.force_login(registrar)
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = (HEADER + f"Lê Văn Cường,02/02/1988,Nam,{cccd(904)},01/03/2019,\n").encode()
    client.post(
        reverse("imports:index"),
        {"unit": "HT-DT-0001", "file": SimpleUploadedFile("ds.csv", data)},
    )
    batch = ImportBatch.objects.get()
    jobs.job_run(str(batch.job_id))
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PREVIEWED
    source = batch.source.name
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("imports:cancel", args=[batch.pk])).status_code == 302
    batch.refresh_from_db()
    assert batch.status == BatchStatus.CANCELLED
    assert not batch.source.storage.exists(source)  # the personal data in it is gone
    client.post(reverse("imports:commit", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == BatchStatus.CANCELLED and Member.objects.count() == 0
    # A finished import cannot be cancelled.
    batch.status = BatchStatus.DONE
    batch.save()
    client.post(reverse("imports:cancel", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE


def test_history_lists_past_imports_of_the_officer_units_only(client, tree, registrar, officer_at):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(registrar)
    data = (HEADER + f"Lê Văn Cường,02/02/1988,Nam,{cccd(905)},01/03/2019,\n").encode()
    client.post(
        reverse("imports:index"),
        {"unit": "HT-DT-0001", "file": SimpleUploadedFile("dot-1.csv", data)},
    )
    batch = ImportBatch.objects.get()
    jobs.job_run(str(batch.job_id))
    page = client.get(reverse("imports:history")).content.decode()
    assert ("dot-1.csv" in page and registrar.get_username() in page) or "dot-1.csv" in page
    assert (
        "dot-1.csv"
        in client.get(reverse("imports:history"), {"status": "previewed"}).content.decode()
    )
    assert (
        "dot-1.csv"
        not in client.get(reverse("imports:history"), {"status": "done"}).content.decode()
    )
    export = client.get(reverse("imports:history"), {"export": "xlsx"})
    assert export.status_code == 200
    client.force_login(officer_at(tree.district_b, "registrar"))
    assert "dot-1.csv" not in client.get(reverse("imports:history")).content.decode()
