"""Consents: recording and withdrawal with audit rows, scoping, the printable form, and the photo
check of the public card page (the registry's public_photo_checks)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from tests.factories import admit, jpeg
from unionhub.audit.models import AuditEvent
from unionhub.cards import selectors as card_selectors
from unionhub.cards import services as card_services
from unionhub.core import scope
from unionhub.core.errors import DomainError, OutOfScope
from unionhub.privacy import selectors, services
from unionhub.privacy.actions import Action
from unionhub.privacy.models import Method, Purpose

GIVEN = dt.date(2026, 1, 5)


@pytest.fixture
def member(tree):
    return admit(
        tree.grassroots_a1,
        tree.admin,
        full_name="Trần Thị Mai",
        female=True,
        birth_date=dt.date(1991, 2, 3),
        id_number="042191000777",
        photo=jpeg(),
    )


def _record(member, by, purpose=Purpose.PHOTO):
    return services.consent_record(
        member=member, purpose=purpose, given_on=GIVEN, method=Method.PAPER, by=by
    )


def test_record_and_withdraw_write_audit_rows(member, registrar_a):
    consent = _record(member, registrar_a)
    assert selectors.has_consent(member=member, purpose=Purpose.PHOTO)
    assert not selectors.has_consent(member=member, purpose=Purpose.CONTACT)
    given = AuditEvent.objects.get(action=Action.CONSENT_GIVEN)
    assert given.target_id == str(member.pk) and given.data["purpose"] == "photo"

    services.consent_withdraw(consent=consent, withdrawn_on=timezone.localdate(), by=registrar_a)
    assert not selectors.has_consent(member=member, purpose=Purpose.PHOTO)
    assert AuditEvent.objects.filter(action=Action.CONSENT_WITHDRAWN).count() == 1
    # After a withdrawal the member may consent again: a new record, the old one kept.
    _record(member, registrar_a)
    assert selectors.member_consents(user=registrar_a, member=member).count() == 2


def test_refusals(member, registrar_a, registrar_b):
    consent = _record(member, registrar_a)
    with pytest.raises(DomainError) as error:
        _record(member, registrar_a)
    assert error.value.code == "consent.standing"
    with pytest.raises(DomainError):
        services.consent_record(
            member=member,
            purpose=Purpose.CONTACT,
            given_on=timezone.localdate() + dt.timedelta(days=1),
            method=Method.IN_PERSON,
            by=registrar_a,
        )
    with pytest.raises(DomainError):
        services.consent_withdraw(
            consent=consent, withdrawn_on=GIVEN.replace(day=1), by=registrar_a
        )
    with pytest.raises(OutOfScope):
        _record(member, registrar_b, purpose=Purpose.CONTACT)
    with pytest.raises(OutOfScope):
        services.consent_withdraw(consent=consent, withdrawn_on=GIVEN, by=registrar_b)
    assert AuditEvent.objects.filter(action=Action.CONSENT_GIVEN).count() == 1


def test_viewer_may_not_record(member, officer_at, tree):
    viewer = officer_at(tree.grassroots_a1, scope.VIEWER)
    with pytest.raises(OutOfScope):
        _record(member, viewer)


def test_member_page_panel_and_views(client, member, registrar_a):
    client.force_login(registrar_a)
    page = client.get(f"/members/{member.pk}/")
    assert b'data-testid="member-consents"' in page.content
    response = client.post(
        f"/privacy/members/{member.pk}/consents/add/",
        {"purpose": "contact", "method": "in_person", "given_on": "2026-01-05"},
    )
    assert response.status_code == 302
    consent = selectors.member_consents(user=registrar_a, member=member).get()
    assert consent.purpose == "contact" and consent.recorded_by == registrar_a
    response = client.post(
        f"/privacy/consents/{consent.pk}/withdraw/", {"withdrawn_on": "2026-01-06"}
    )
    consent.refresh_from_db()
    assert response.status_code == 302 and consent.withdrawn_on == dt.date(2026, 1, 6)
    listing = client.get("/privacy/consents/?standing=no")
    assert "Trần Thị Mai" in listing.content.decode()
    assert "Trần Thị Mai" not in client.get("/privacy/consents/?standing=yes").content.decode()
    export = client.get("/privacy/consents/?export=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_consent_list_is_scoped(client, member, registrar_a, registrar_b):
    _record(member, registrar_a)
    client.force_login(registrar_b)
    assert "Trần Thị Mai" not in client.get("/privacy/consents/").content.decode()
    assert client.get(f"/privacy/members/{member.pk}/consent-form/").status_code in (403, 404)


def test_consent_form_pdf_in_vietnamese(client, member, registrar_a):
    client.force_login(registrar_a)
    client.cookies["django_language"] = "vi"
    response = client.get(f"/privacy/members/{member.pk}/consent-form/")
    body = b"".join(response.streaming_content)
    assert response.status_code == 200 and body.startswith(b"%PDF")
    # The fonts are embedded: DejaVu, which has the Vietnamese glyphs.
    assert b"UnionHubSans" in body or b"DejaVu" in body


@override_settings(CARD_VERIFY_RATE=(1000, 60))
def test_public_card_page_shows_the_photo_only_with_photo_consent(
    client, tree, member, registrar_a, officer_at
):
    card_services.card_series_set(unit=tree.province, code="042", by=tree.admin)
    approver = officer_at(tree.district_a, scope.REGISTRAR)
    card = card_services.card_approve(
        card=card_services.card_request(member=member, by=registrar_a), by=approver
    )
    token = card_selectors.card_token(card)
    photo_url = f"/v/{token}/photo"
    assert photo_url not in client.get(f"/v/{token}").content.decode()
    assert client.get(photo_url).status_code == 404

    consent = _record(member, registrar_a)
    assert photo_url in client.get(f"/v/{token}").content.decode()
    assert client.get(photo_url).status_code == 200

    services.consent_withdraw(consent=consent, withdrawn_on=timezone.localdate(), by=registrar_a)
    assert photo_url not in client.get(f"/v/{token}").content.decode()
    assert client.get(photo_url).status_code == 404
