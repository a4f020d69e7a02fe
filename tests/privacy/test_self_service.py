"""The member's own page (/me/): signing in with a one-time code or a printed link, what the page
shows, corrections decided by the registrar, the member's download and consent withdrawal."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.factories import admit
from unionhub.audit.models import AuditEvent
from unionhub.core import scope, sms
from unionhub.core.errors import DomainError, OutOfScope
from unionhub.members import services as member_services
from unionhub.privacy import selectors, services
from unionhub.privacy.actions import Action
from unionhub.privacy.models import Consent, Correction, Method, Purpose, SignIn

START = "/me/"


@pytest.fixture(autouse=True)
def _sms_outbox(settings):
    settings.SMS_BACKEND = "unionhub.core.sms.LocmemBackend"
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def member(tree):
    return admit(
        tree.grassroots_a1,
        tree.admin,
        full_name="Lê Thị Hằng",
        female=True,
        birth_date=dt.date(1990, 4, 5),
        phone="0912345678",
        email="hang@example.vn",
    )


def _code_from_sms() -> str:
    return re.search(r"\b(\d{6})\b", sms.outbox[-1][1]).group(1)


def _sign_in(client, contact="0912345678") -> None:
    client.post(START, {"contact": contact})
    response = client.post(reverse("privacy_public:code"), {"code": _code_from_sms()})
    assert response.status_code == 302


def test_code_by_sms_signs_in_and_the_page_shows_the_record(client, member):
    response = client.post(START, {"contact": "+84 912 345 678"})
    assert response.status_code == 302 and response["Location"] == reverse("privacy_public:code")
    phone, text = sms.outbox[-1]
    assert phone == "0912345678" and "10" in text
    client.post(reverse("privacy_public:code"), {"code": _code_from_sms()})
    page = client.get(START)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Lê Thị Hằng" in body and "05/04/1990" in body
    assert member.unit.name in body
    assert AuditEvent.objects.filter(
        action=Action.SELF_SIGNED_IN, target_id=str(member.pk)
    ).exists()


def test_code_by_e_mail(client, member):
    client.post(START, {"contact": "Hang@Example.vn"})
    assert mail.outbox[-1].to == ["hang@example.vn"]
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    client.post(reverse("privacy_public:code"), {"code": code})
    assert "Lê Thị Hằng" in client.get(START).content.decode()


def test_an_unknown_contact_gets_the_same_answer_and_no_message(client, member):
    response = client.post(START, {"contact": "0999999999"})
    assert response["Location"] == reverse("privacy_public:code")
    assert sms.outbox == [] and mail.outbox == []
    wrong = client.post(reverse("privacy_public:code"), {"code": "123456"})
    assert "Mã này đã hết hạn" in wrong.content.decode()
    assert "Lê Thị Hằng" not in client.get(START).content.decode()


def test_a_phone_two_members_share_signs_in_nobody(tree, client, member):
    admit(tree.grassroots_a1, tree.admin, full_name="Lê Văn Hùng", phone="0912345678")
    client.post(START, {"contact": "0912345678"})
    assert sms.outbox == []


def test_five_wrong_codes_end_the_code(client, member):
    client.post(START, {"contact": "0912345678"})
    right = _code_from_sms()
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(5):
        response = client.post(reverse("privacy_public:code"), {"code": wrong})
        assert "Mã này không đúng" in response.content.decode()
    response = client.post(reverse("privacy_public:code"), {"code": right})
    assert "Nhập sai quá nhiều lần" in response.content.decode()
    assert SignIn.objects.get().attempts == 5
    assert "Lê Thị Hằng" not in client.get(START).content.decode()


def test_an_expired_code_and_a_replaced_code_are_refused(client, member):
    client.post(START, {"contact": "0912345678"})
    first = _code_from_sms()
    client.post(START, {"contact": "0912345678"})
    second = _code_from_sms()
    if first != second:
        response = client.post(reverse("privacy_public:code"), {"code": first})
        assert "Lê Thị Hằng" not in client.get(START).content.decode()
    SignIn.objects.update(expires=timezone.now() - dt.timedelta(seconds=1))
    response = client.post(reverse("privacy_public:code"), {"code": second})
    assert "Mã này đã hết hạn" in response.content.decode()


def test_asking_for_codes_is_rate_limited_per_contact(client, member):
    for _ in range(3):
        client.post(START, {"contact": "0912345678"})
    response = client.post(START, {"contact": "0912345678"})
    assert response.status_code == 200 and len(sms.outbox) == 3


def test_the_visit_ends_after_half_an_hour_without_a_click(client, member, settings):
    _sign_in(client)
    settings.PRIVACY_SELF_SESSION_SECONDS = -1
    assert "Lê Thị Hằng" not in client.get(START).content.decode()


def test_printed_link_works_once_and_only_for_the_registrar_in_scope(
    client, member, registrar_a, registrar_b
):
    with pytest.raises(OutOfScope):
        services.sign_in_link_create(member=member, by=registrar_b)
    token = services.sign_in_link_create(member=member, by=registrar_a)
    response = client.get(reverse("privacy_public:link", args=[token]))
    assert response.status_code == 302
    assert "Lê Thị Hằng" in client.get(START).content.decode()
    client.post(reverse("privacy_public:sign_out"))
    again = client.get(reverse("privacy_public:link", args=[token]))
    assert again.status_code == 403
    assert SignIn.objects.get(kind="link").created_by == registrar_a


def test_the_registrar_prints_the_sheet_with_a_qr(client, member, registrar_a, registrar_b):
    client.force_login(registrar_b)
    assert client.post(reverse("privacy:sign_in_link", args=[member.pk])).status_code == 403
    client.force_login(registrar_a)
    sheet = client.post(reverse("privacy:sign_in_link", args=[member.pk]))
    assert sheet.status_code == 200
    body = sheet.content.decode()
    assert "<svg" in body and "/me/l/" in body


def test_correction_request_then_approval_changes_the_record(client, member, registrar_a):
    _sign_in(client)
    response = client.post(
        reverse("privacy_public:correction"),
        {"field": "birth_date", "requested": "06/04/1990", "note": "CCCD ghi ngày 6"},
    )
    assert response.status_code == 302
    correction = Correction.objects.get()
    assert correction.current == "05/04/1990" and correction.requested == "1990-04-06"
    # A second request for the same field waits for the first.
    again = client.post(
        reverse("privacy_public:correction"), {"field": "birth_date", "requested": "07/04/1990"}
    )
    assert "chưa quyết định" in again.content.decode()

    services.correction_approve(correction=correction, by=registrar_a)
    member.refresh_from_db()
    assert member.birth_date == dt.date(1990, 4, 6)
    correction.refresh_from_db()
    assert correction.state == "approved" and correction.decided_by == registrar_a
    assert AuditEvent.objects.filter(action="members.member.updated").exists()
    with pytest.raises(DomainError):
        services.correction_approve(correction=correction, by=registrar_a)


def test_a_correction_the_registry_refuses_stays_open(member, registrar_a, registrar_b):
    correction = services.correction_request(
        member=member, field="birth_date", requested="2020-01-01"
    )
    with pytest.raises(OutOfScope):
        services.correction_approve(correction=correction, by=registrar_b)
    with pytest.raises(DomainError):  # too young to have joined in 2020
        services.correction_approve(correction=correction, by=registrar_a)
    correction.refresh_from_db()
    member.refresh_from_db()
    assert correction.state == "pending" and member.birth_date == dt.date(1990, 4, 5)


def test_rejection_needs_a_reason_the_member_then_reads(client, member, registrar_a):
    correction = services.correction_request(member=member, field="phone", requested="0987654321")
    with pytest.raises(DomainError):
        services.correction_reject(correction=correction, by=registrar_a, reason=" ")
    services.correction_reject(
        correction=correction, by=registrar_a, reason="Số này đã đăng ký cho người khác"
    )
    _sign_in(client)
    assert "Số này đã đăng ký cho người khác" in client.get(START).content.decode()


def test_bad_correction_requests(member):
    with pytest.raises(DomainError) as error:
        services.correction_request(member=member, field="unit", requested="x")
    assert error.value.code == "correction.field"
    with pytest.raises(DomainError) as error:
        services.correction_request(member=member, field="full_name", requested="lê thị  hằng")
    assert error.value.code == "correction.same"
    with pytest.raises(DomainError) as error:
        selectors.parse_date("31/02/1990")
    assert error.value.code == "correction.date"


def test_the_corrections_list_is_scoped(client, member, registrar_a, registrar_b):
    correction = services.correction_request(member=member, field="address", requested="Xóm 3")
    client.force_login(registrar_b)
    assert "Xóm 3" not in client.get(reverse("privacy:corrections")).content.decode()
    assert (
        client.post(reverse("privacy:correction_approve", args=[correction.pk])).status_code == 404
    )
    client.force_login(registrar_a)
    assert "Xóm 3" in client.get(reverse("privacy:corrections")).content.decode()
    export = client.get(reverse("privacy:corrections") + "?export=xlsx")
    assert export.status_code == 200
    client.post(reverse("privacy:correction_approve", args=[correction.pk]))
    member.refresh_from_db()
    assert member.address == "Xóm 3"


def test_download_and_consent_withdrawal_by_the_member(client, member, registrar_a):
    consent = services.consent_record(
        member=member,
        purpose=Purpose.CONTACT,
        given_on=dt.date(2026, 1, 5),
        method=Method.PAPER,
        by=registrar_a,
    )
    assert client.get(reverse("privacy_public:export", args=["json"])).status_code == 302
    _sign_in(client)
    data = client.get(reverse("privacy_public:export", args=["json"])).json()
    assert data["profile"]["full_name"] == "Lê Thị Hằng"
    assert "privacy.SignIn" in data["records"]
    pdf = client.get(reverse("privacy_public:export", args=["pdf"]))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action=Action.SUBJECT_SELF_EXPORTED).count() == 2

    client.post(reverse("privacy_public:consent_withdraw", args=[consent.pk]))
    consent.refresh_from_db()
    assert consent.withdrawn_on == timezone.localdate()


def test_a_member_cannot_withdraw_another_members_consent(tree, client, member, registrar_a):
    other = admit(tree.grassroots_a1, tree.admin, full_name="Phan Văn Nam")
    consent = services.consent_record(
        member=other,
        purpose=Purpose.CONTACT,
        given_on=dt.date(2026, 1, 5),
        method=Method.PAPER,
        by=registrar_a,
    )
    _sign_in(client)
    client.post(reverse("privacy_public:consent_withdraw", args=[consent.pk]))
    assert Consent.objects.get(pk=consent.pk).withdrawn_on is None


def test_the_member_sees_who_read_their_sensitive_data(client, member, registrar_a):
    member_services.member_sensitive_view(by=registrar_a, member=member)
    _sign_in(client)
    accesses = selectors.member_accesses(member)
    assert [event.actor for event in accesses] == [registrar_a]
    assert registrar_a.get_username() in client.get(START).content.decode() or (
        registrar_a.get_full_name() in client.get(START).content.decode()
    )


def test_an_anonymised_member_cannot_sign_in(member, registrar_a):
    assert scope.can(registrar_a, scope.REGISTRAR, member.unit)
    member.full_name = services.anonymous_name(member)
    member.save(update_fields=["full_name"])
    assert selectors.member_by_contact("0912345678") == (None, "")
