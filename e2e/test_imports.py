"""An officer uploads a spreadsheet, reads the dry run's errors, downloads the error report,
imports, watches the progress bar reach 100 % and sees the members."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.factories import make_user
from unionhub.core import jobs, scope
from unionhub.imports.models import ImportBatch
from unionhub.orgs import services

pytestmark = pytest.mark.django_db(transaction=True)
FILES = Path(__file__).resolve().parent.parent / "tests" / "imports" / "files"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def registrar(tree):
    user = make_user("dangky", first_name="Lan", last_name="Nguyễn Thị")
    services.role_grant(user=user, unit=tree.district_a, role=scope.REGISTRAR, by=tree.admin)
    return user


def work_off(batch_pk: int) -> None:
    """The background worker's part: run the job the page just queued."""
    jobs.job_run(str(ImportBatch.objects.get(pk=batch_pk).job_id))


def test_upload_preview_error_report_commit_progress(login, live_server, registrar, tree, tmp_path):
    page = login("dangky", "pw-dangky")
    page.goto(f"{live_server.url}/imports/?unit={tree.grassroots_a1.pk}")
    expect(page.locator("input[name=unit]")).to_have_value("HT-DT-0001")
    page.set_input_files("input[name=file]", str(FILES / "errors.xlsx"))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/imports/\d+/$"))
    batch = int(page.url.rstrip("/").rsplit("/", 1)[-1])
    expect(page.get_by_test_id("batch-job")).to_be_visible()

    work_off(batch)  # the page polls, sees the check finish and shows the preview
    expect(page.get_by_test_id("count-errors")).to_have_text("6")
    expect(page.get_by_test_id("count-new")).to_have_text("1")
    problems = page.get_by_test_id("problems")
    expect(problems).to_contain_text("Không rõ")
    expect(problems).to_contain_text("C · Ngày sinh")

    with page.expect_download() as download:
        page.get_by_test_id("error-report").click()
    saved = tmp_path / "loi.xlsx"
    download.value.save_as(saved)
    rows = list(load_workbook(saved).active.values)
    assert rows[0][-1] == "Lỗi" and len(rows) == 7

    page.get_by_test_id("commit").click()
    expect(page.get_by_test_id("batch-job")).to_be_visible()
    work_off(batch)
    expect(page.locator("[data-testid=batch-job] .progress-label")).to_contain_text("100 %")
    expect(page.locator("[data-testid=batch-job] progress")).to_have_attribute("value", "14")
    expect(page.get_by_test_id("imported-members")).to_contain_text("Ông Thị Êm")
