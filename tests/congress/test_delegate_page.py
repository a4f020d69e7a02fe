"""A card's QR opens its delegate's page: only its congress, only the documents it may see;
revoked, replaced and tampered tokens open nothing."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.congress.helpers import pdf_file, token_of
from unionhub.congress import services
from unionhub.congress.models import Document
from unionhub.congress.tokens import card_token
from unionhub.core import signing

pytestmark = pytest.mark.django_db


def test_card_opens_the_delegates_page_with_programme_notices_and_documents(client, setup):
    delegate = setup.elected[0]
    response = client.get(f"/d/{token_of(delegate)}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nguyễn Văn An" in page
    assert "Phiên chính thức" in page and "Hội trường A" in page
    assert "Đại biểu có mặt lúc 7 giờ 30." in page
    assert "Chương trình Đại hội" in page
    assert "Dự thảo Báo cáo chính trị" in page
    assert "Kịch bản điều hành" not in page


def test_elected_delegate_reads_a_delegates_only_document_and_the_view_is_counted(client, setup):
    token = token_of(setup.elected[0])
    response = client.get(f"/d/{token}/doc/{setup.delegates_doc.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    client.get(f"/d/{token}/doc/{setup.delegates_doc.pk}/")
    client.get(f"/d/{token_of(setup.ex_officio)}/doc/{setup.delegates_doc.pk}/")
    setup.delegates_doc.refresh_from_db()
    assert setup.delegates_doc.views == 3


def test_invited_guest_sees_only_public_documents(client, setup):
    token = token_of(setup.guest)
    page = client.get(f"/d/{token}").content.decode()
    assert "Chương trình Đại hội" in page
    assert "Dự thảo Báo cáo chính trị" not in page
    assert client.get(f"/d/{token}/doc/{setup.public_doc.pk}/").status_code == 200
    assert client.get(f"/d/{token}/doc/{setup.delegates_doc.pk}/").status_code == 403
    assert client.get(f"/d/{token}/doc/{setup.presidium_doc.pk}/").status_code == 403
    setup.delegates_doc.refresh_from_db()
    assert setup.delegates_doc.views == 0


def test_only_the_presidium_opens_presidium_documents(client, setup):
    url = f"/doc/{setup.presidium_doc.pk}/"
    assert client.get(f"/d/{token_of(setup.presidium)}{url}").status_code == 200
    assert client.get(f"/d/{token_of(setup.elected[0])}{url}").status_code == 403
    assert "Kịch bản điều hành" in client.get(f"/d/{token_of(setup.presidium)}").content.decode()


def test_token_opens_only_its_own_congress(client, setup):
    token = token_of(setup.elected[0])
    assert client.get(f"/d/{token}/doc/{setup.other_doc.pk}/").status_code == 403
    page = client.get(f"/d/{token}").content.decode()
    assert "Báo cáo huyện" not in page and "Can Lộc" not in page.split("Đoàn huyện Can Lộc")[0]


def test_token_naming_a_delegate_of_another_congress_is_refused(client, setup):
    # A genuine signature, but the delegate id belongs to the other congress.
    forged = card_token(
        congress_id=setup.congress.pk, delegate_id=setup.other_delegate.pk, serial=1
    )
    response = client.get(f"/d/{forged}")
    assert response.status_code == 403
    assert "Người Huyện Khác" not in response.content.decode()


def test_revoked_card_opens_nothing(client, setup):
    delegate = setup.elected[1]
    token = token_of(delegate)
    services.delegate_card_revoke(delegate=delegate, by=setup.organiser)
    for url in (f"/d/{token}", f"/d/{token}/doc/{setup.public_doc.pk}/"):
        response = client.get(url)
        assert response.status_code == 403
        assert "Trần Thị Bình" not in response.content.decode()
    assert "Thẻ đã bị thu hồi" in client.get(f"/d/{token}").content.decode()


def test_reissued_card_works_and_the_lost_one_does_not(client, setup):
    delegate = setup.elected[2]
    lost = token_of(delegate)
    services.delegate_card_revoke(delegate=delegate, by=setup.organiser)
    services.delegate_card_reissue(delegate=delegate, by=setup.organiser)
    new = token_of(delegate)
    assert new != lost
    assert client.get(f"/d/{lost}").status_code == 403
    assert client.get(f"/d/{new}").status_code == 200


def test_token_signed_for_another_purpose_is_refused(client, setup):
    delegate = setup.elected[0]
    genuine = token_of(delegate)
    payload = signing.verify(genuine, purpose=b"delegate")
    as_card = signing.sign(payload, purpose=b"card")
    assert client.get(f"/d/{as_card}").status_code == 403


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    position=st.integers(min_value=0, max_value=76), flip=st.integers(min_value=1, max_value=255)
)
def test_any_tampered_byte_is_refused(client, setup, position, flip):
    raw = bytearray(signing.b64decode(token_of(setup.elected[0])))
    raw[position] ^= flip
    response = client.get(f"/d/{signing.b64encode(bytes(raw))}")
    assert response.status_code == 403


def test_corrected_document_replaces_the_old_one_and_is_marked_updated(client, setup):
    token = token_of(setup.elected[0])
    assert "Đã cập nhật" not in client.get(f"/d/{token}").content.decode()
    services.document_replace(
        document=setup.delegates_doc, file=pdf_file("corrected"), by=setup.organiser
    )
    document = Document.objects.get(pk=setup.delegates_doc.pk)
    assert document.version == 2
    assert "Đã cập nhật" in client.get(f"/d/{token}").content.decode()
    body = b"".join(client.get(f"/d/{token}/doc/{document.pk}/").streaming_content)
    assert body.endswith(b"corrected")


def test_delegate_page_is_light(client, setup):
    """No framework CSS nor scripts: it must open on a crowded mobile network."""
    page = client.get(f"/d/{token_of(setup.elected[0])}").content.decode()
    assert "<script" not in page and "pico" not in page
    assert len(page.encode()) < 12_000
