"""Personal data leaves the registry only for those who may see it, and never silently:
exports of ID numbers, phones and addresses are for registrars (and unit admins), and every
export writes an audit row (who, which filter, how many rows); the audit trail records that
ethnicity or religion changed, never the values."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from unionhub.audit.models import AuditEvent
from unionhub.core import jobs, scope
from unionhub.core.models import Job
from unionhub.members import services, views

pytestmark = pytest.mark.django_db


def exported(response) -> list[tuple]:
    content = b"".join(response.streaming_content)
    return list(load_workbook(io.BytesIO(content), read_only=True).active.values)


@pytest.fixture
def member(admit):
    return admit(
        full_name="Nguyễn Thị Hoa",
        gender="female",
        id_number="042190000777",
        phone="0912345678",
        address="Xóm 3, xã Tùng Ảnh",
    )


@pytest.mark.parametrize("role", [scope.VIEWER, scope.FINANCE])
def test_other_roles_export_the_list_without_personal_data(client, tree, member, officer_at, role):
    client.force_login(officer_at(tree.grassroots_a1, role))
    rows = exported(client.get(reverse("members:unit_export", args=[tree.grassroots_a1.pk])))
    cells = {str(c) for row in rows for c in row}
    assert "Nguyễn Thị Hoa" in cells
    assert not {"042190000777", "0912345678", "Xóm 3, xã Tùng Ảnh"} & cells


def test_registrars_export_personal_data_and_each_export_is_audited(
    client, tree, member, registrar_a
):
    client.force_login(registrar_a)
    url = reverse("members:unit_export", args=[tree.grassroots_a1.pk])
    rows = exported(client.get(url, {"gender": "female"}))
    cells = {str(c) for row in rows for c in row}
    assert {"042190000777", "0912345678", "Xóm 3, xã Tùng Ảnh"} <= cells
    entry = AuditEvent.objects.get(action="members.list.exported")
    assert entry.actor == registrar_a and entry.target_id == str(tree.grassroots_a1.pk)
    assert entry.data == {"filter": "gender=female", "rows": 1, "personal_data": True}


def test_an_export_by_a_viewer_is_audited_too(client, tree, member, officer_at):
    viewer = officer_at(tree.grassroots_a1, scope.VIEWER)
    client.force_login(viewer)
    exported(client.get(reverse("members:export")))
    entry = AuditEvent.objects.get(action="members.list.exported")
    assert entry.actor == viewer
    assert entry.data == {"filter": "", "rows": 1, "personal_data": False}


def test_a_big_export_in_the_background_is_audited_with_its_count(
    client, tree, member, admit, registrar_a, monkeypatch, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    admit(full_name="Trần Văn Bình")
    monkeypatch.setattr(views, "EXPORT_INLINE_MAX", 1)
    client.force_login(registrar_a)
    client.get(reverse("members:export"))
    jobs.job_run(str(Job.objects.get().pk))
    entry = AuditEvent.objects.get(action="members.list.exported")
    assert entry.data == {"filter": "", "rows": 2, "personal_data": True}


def test_the_audit_trail_says_that_ethnicity_changed_not_to_what(tree, member, registrar_a):
    services.member_update(
        member=member, by=registrar_a, version=member.version, ethnicity="Mường", phone="0987"
    )
    entry = AuditEvent.objects.get(action="members.member.updated")
    changes = entry.data["changes"]
    assert changes["ethnicity"] == [None, None]
    assert changes["phone"] == ["0912345678", "0987"]
    assert "Mường" not in str(entry.data)
