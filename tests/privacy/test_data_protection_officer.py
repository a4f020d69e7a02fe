"""The data-protection officer: every sensitive read path lands in the access log (page, API,
export, subject export), which only the officer of the subtree sees; the breach register and its
72-hour deadline; the record of processing generated from the models and settings."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import admit
from unionhub.audit.models import AuditEvent
from unionhub.core import scope
from unionhub.core.errors import DomainError, OutOfScope
from unionhub.privacy import selectors, services, subject
from unionhub.privacy.actions import Action
from unionhub.privacy.models import Breach, DataClass


@pytest.fixture
def member(tree):
    return admit(
        tree.grassroots_a1, tree.admin, full_name="Hồ Thị Lan", female=True, ethnicity="Tày"
    )


@pytest.fixture
def dpo_a(tree, officer_at):
    return officer_at(tree.district_a, scope.DATA_PROTECTION)


@pytest.fixture
def dpo_b(tree, officer_at):
    return officer_at(tree.district_b, scope.DATA_PROTECTION)


def _xlsx_rows(response) -> list[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(book.active.iter_rows(values_only=True))


def test_every_sensitive_read_path_is_in_the_access_log(client, member, registrar_a, dpo_a):
    client.force_login(registrar_a)
    # The member page's sensitive fields, on request.
    assert client.post(reverse("members:sensitive", args=[member.pk])).status_code == 200
    # The API, with ?include=sensitive.
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=registrar_a).key}")
    assert api.get(f"/api/v1/members/{member.pk}/", {"include": "sensitive"}).status_code == 200
    # The subject export, both formats.
    for file_format in ("json", "pdf"):
        response = client.get(reverse("privacy:subject_export", args=[member.pk, file_format]))
        assert response.status_code == 200
    # The member list's export.
    assert client.get(reverse("members:export")).status_code == 200

    logged = list(selectors.access_log(user=dpo_a))
    actions = [event.action for event in logged]
    assert actions.count("members.member.sensitive_viewed") == 2
    assert actions.count(Action.SUBJECT_EXPORTED) == 2
    assert "members.list.exported" in actions
    assert all(event.actor == registrar_a for event in logged)


def test_the_access_log_is_scoped_to_the_officers_subtree(
    client, tree, member, registrar_a, dpo_a, dpo_b, registrar_b
):
    from unionhub.members import services as member_services

    other = admit(tree.grassroots_b1, tree.admin, full_name="Vũ Văn Bình")
    member_services.member_sensitive_view(by=registrar_a, member=member)
    member_services.member_sensitive_view(by=registrar_b, member=other)
    assert [e.target_repr for e in selectors.access_log(user=dpo_a)] == ["Hồ Thị Lan"]
    assert [e.target_repr for e in selectors.access_log(user=dpo_b)] == ["Vũ Văn Bình"]
    # A registrar is not the data-protection officer.
    client.force_login(registrar_a)
    assert client.get(reverse("privacy:access_log")).status_code == 403

    client.force_login(dpo_a)
    page = client.get(reverse("privacy:access_log")).content.decode()
    assert "Hồ Thị Lan" in page and "Vũ Văn Bình" not in page
    filtered = client.get(reverse("privacy:access_log"), {"actor": "nobody-like-this"})
    assert "Hồ Thị Lan" not in filtered.content.decode()
    rows = _xlsx_rows(client.get(reverse("privacy:access_log"), {"export": "xlsx"}))
    assert len(rows) == 2 and rows[1][3] == "Hồ Thị Lan"
    assert AuditEvent.objects.filter(action=Action.ACCESS_LOG_EXPORTED, actor=dpo_a).exists()


def test_the_access_log_filters_by_date_and_action(member, registrar_a, dpo_a):
    from unionhub.members import services as member_services

    member_services.member_sensitive_view(by=registrar_a, member=member)
    today = timezone.localdate()
    assert selectors.access_log(user=dpo_a, since=today).count() == 1
    assert selectors.access_log(user=dpo_a, until=today - dt.timedelta(days=1)).count() == 0
    assert selectors.access_log(user=dpo_a, action=Action.SUBJECT_EXPORTED).count() == 0


def _breach(unit, by, **overrides):
    values = {
        "unit": unit,
        "title": "Mất máy tính xách tay của cán bộ",
        "description": "Máy có bản sao danh sách đoàn viên.",
        "discovered_at": timezone.now() - dt.timedelta(hours=2),
        "data_classes": [DataClass.IDENTITY, DataClass.CONTACT],
        "people": 240,
        "risk": "high",
        "by": by,
    }
    return services.breach_record(**{**values, **overrides})


def test_breach_lifecycle_and_deadline(tree, dpo_a, dpo_b):
    breach = _breach(tree.grassroots_a1, dpo_a)
    assert breach.deadline == breach.discovered_at + dt.timedelta(hours=72)
    with pytest.raises(OutOfScope):
        _breach(tree.grassroots_b1, dpo_a)
    with pytest.raises(OutOfScope):
        services.breach_notify_authority(
            breach=breach, notified_at=timezone.now(), reference="12/CĐ", by=dpo_b
        )
    with pytest.raises(DomainError) as error:
        services.breach_close(breach=breach, measures="Đổi mật khẩu", by=dpo_a)
    assert error.value.code == "breach.unnotified"
    with pytest.raises(DomainError) as error:
        services.breach_notify_authority(
            breach=breach,
            notified_at=breach.discovered_at - dt.timedelta(hours=1),
            reference="12/CĐ",
            by=dpo_a,
        )
    assert error.value.code == "breach.before_discovery"
    services.breach_notify_authority(
        breach=breach, notified_at=timezone.now(), reference="12/CĐ-LĐLĐ", by=dpo_a
    )
    services.breach_notify_people(breach=breach, notified_at=timezone.now(), by=dpo_a)
    services.breach_close(breach=breach, measures="Khóa tài khoản, đổi mật khẩu", by=dpo_a)
    breach.refresh_from_db()
    assert breach.closed_at and breach.authority_reference == "12/CĐ-LĐLĐ"
    notified = AuditEvent.objects.get(action=Action.BREACH_AUTHORITY_NOTIFIED)
    assert notified.data["late"] is False
    with pytest.raises(DomainError):
        services.breach_notify_people(breach=breach, notified_at=timezone.now(), by=dpo_a)


def test_a_late_notification_is_marked_late(tree, dpo_a):
    breach = _breach(
        tree.grassroots_a1, dpo_a, discovered_at=timezone.now() - dt.timedelta(hours=80)
    )
    services.breach_notify_authority(
        breach=breach, notified_at=timezone.now(), reference="15/CĐ", by=dpo_a
    )
    assert AuditEvent.objects.get(action=Action.BREACH_AUTHORITY_NOTIFIED).data["late"] is True


def test_bad_breach_input(tree, dpo_a):
    with pytest.raises(DomainError) as error:
        _breach(tree.grassroots_a1, dpo_a, data_classes=["passwords"])
    assert error.value.code == "breach.data"
    with pytest.raises(DomainError) as error:
        _breach(tree.grassroots_a1, dpo_a, discovered_at=timezone.now() + dt.timedelta(days=1))
    assert error.value.code == "breach.future"
    assert not Breach.objects.exists()


def test_breach_pages_countdown_and_export(client, tree, dpo_a, dpo_b):
    client.force_login(dpo_a)
    response = client.post(
        reverse("privacy:breach_new"),
        {
            "unit": tree.grassroots_a1.pk,
            "title": "Gửi nhầm danh sách qua Zalo",
            "description": "Danh sách 30 đoàn viên gửi nhầm nhóm.",
            "discovered_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "data_classes": ["identity", "contact"],
            "people": "30",
            "risk": "medium",
        },
    )
    breach = Breach.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{breach.pk}/")
    page = client.get(reverse("privacy:breach", args=[breach.pk])).content.decode()
    assert 'data-testid="breach-countdown"' in page and "Còn" in page
    rows = _xlsx_rows(client.get(reverse("privacy:breaches"), {"export": "xlsx"}))
    assert rows[1][1] == "Gửi nhầm danh sách qua Zalo" and rows[1][7] == 30
    client.force_login(dpo_b)
    assert client.get(reverse("privacy:breach", args=[breach.pk])).status_code == 404
    assert "Gửi nhầm" not in client.get(reverse("privacy:breaches")).content.decode()


def test_the_processing_record_follows_the_models_and_settings(
    client, settings, dpo_a, registrar_a
):
    record = selectors.processing_record()
    records = {row.record for row in record["rows"]}
    assert len(record["rows"]) == len(subject.SUBJECT_FIELDS)
    assert "Đoàn viên" in records
    member_row = next(row for row in record["rows"] if row.record == "Đoàn viên")
    assert member_row.sensitive and "dân tộc" in member_row.fields

    settings.PRIVACY_RETENTION_YEARS = {**settings.PRIVACY_RETENTION_YEARS, "identity": 7}
    assert any("7 năm" in rule for _label, rule in selectors.processing_record()["retention"])

    client.force_login(registrar_a)
    assert client.get(reverse("privacy:processing_record")).status_code == 403
    client.force_login(dpo_a)
    assert (
        "Hồ sơ xử lý dữ liệu cá nhân"
        in client.get(reverse("privacy:processing_record")).content.decode()
    )
    pdf = client.get(reverse("privacy:processing_record_pdf"))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
