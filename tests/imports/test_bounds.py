"""Hostile and oversized files at the member import: refused with a message on the form, nothing
stored, the server's process alive; a file that cannot be read in the worker fails its job."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from tests.imports.helpers import FILES
from unionhub.core import jobs
from unionhub.core.models import JobStatus
from unionhub.imports.models import BatchStatus, ImportBatch

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # messages asserted in English
    return client


def bomb() -> bytes:
    book = Workbook()
    book.active["A1"] = "Họ và tên"
    book.active["XFD1048576"] = "x"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def post(client, name: str, data: bytes):
    upload = SimpleUploadedFile(name, data)
    return client.post(reverse("imports:index"), {"unit": "HT-DT-0001", "file": upload})


def test_a_sheet_spanning_the_whole_grid_is_refused_on_the_form(client, registrar, tmp_path):
    client.force_login(registrar)
    response = post(client, "bomb.xlsx", bomb())
    assert response.status_code == 200
    assert "at most 200.000 rows and 200 columns" in response.content.decode()
    assert not ImportBatch.objects.exists()
    assert not list((tmp_path / "media").rglob("*.xlsx"))
    # The same process serves the next upload.
    assert post(client, "ok.xlsx", (FILES / "errors.xlsx").read_bytes()).status_code == 302


def test_the_size_limit_is_on_the_form_and_refuses_larger_files(client, registrar, settings):
    client.force_login(registrar)
    settings.UPLOAD_MAX_MB = {**settings.UPLOAD_MAX_MB, "member_import": 0}
    page = client.get(reverse("imports:index")).content.decode()
    assert "At most 0 MB." in page
    response = post(client, "errors.xlsx", (FILES / "errors.xlsx").read_bytes())
    assert "The file is larger than 0 MB." in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_file_the_worker_cannot_read_fails_its_job_and_batch(client, registrar, settings):
    client.force_login(registrar)
    post(client, "errors.xlsx", (FILES / "errors.xlsx").read_bytes())
    batch = ImportBatch.objects.get()
    # Reading the file again in the worker needs more memory than it may take now.
    settings.SPREADSHEET_READ_MEMORY_MB = 1
    job = jobs.job_run(str(batch.job_id))
    assert job.status == JobStatus.FAILED
    assert "more memory or time to read than an upload may take" in job.message
    batch.refresh_from_db()
    assert batch.status == BatchStatus.FAILED
