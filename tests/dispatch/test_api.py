"""The REST API: inbox, outbox and documents, scoped like the pages, in the OpenAPI schema."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.dispatch.helpers import draft_and_issue, pdf_bytes
from unionhub.core import scope
from unionhub.dispatch.models import Recipient, TargetKind


@pytest.fixture
def issued(tree, province_clerk):
    return draft_and_issue(
        unit=tree.province, by=province_clerk, targets=[(tree.district_a, TargetKind.SUBTREE)]
    )


def api_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_inbox_lists_the_own_units_documents_and_records_reads(tree, officer_at, issued):
    officer = officer_at(tree.grassroots_a1, scope.CLERK)
    api = api_for(officer)
    entries = api.get("/api/v1/documents/inbox/").json()["results"]
    assert [(e["document"]["symbol"], e["unit"]["code"]) for e in entries] == [
        (issued.symbol, "HT-DT-0001")
    ]
    assert api.get("/api/v1/documents/inbox/", {"summary": "dai hoi"}).json()["results"] == []
    read = api.post(f"/api/v1/documents/inbox/{entries[0]['id']}/read/").json()
    assert read["read_by"] == officer.username
    done = api.post(f"/api/v1/documents/inbox/{entries[0]['id']}/done/")
    assert done.status_code == 200 and done.json()["handling"] == "done"


def test_outbox_and_tracking_for_the_sender(tree, province_clerk, issued):
    api = api_for(province_clerk)
    outbox = api.get("/api/v1/documents/outbox/").json()["results"]
    assert [d["symbol"] for d in outbox] == [issued.symbol]
    tracking = api.get(f"/api/v1/documents/{issued.pk}/recipients/").json()["results"]
    assert {t["unit"]["code"] for t in tracking} == {"HT-DT", "HT-DT-0001", "HT-DT-0002"}
    attachment = issued.attachments.get()
    response = api.get(f"/api/v1/documents/{issued.pk}/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()


def test_out_of_scope_documents_and_files_are_refused(tree, officer_at, issued):
    api = api_for(officer_at(tree.district_b, scope.UNIT_ADMIN))
    attachment = issued.attachments.get()
    assert api.get("/api/v1/documents/inbox/").json()["results"] == []
    refused = api.get("/api/v1/documents/inbox/", {"unit": tree.district_a.pk})
    assert refused.status_code == 403 and refused.json()["code"] == "out_of_scope"
    assert api.get("/api/v1/documents/outbox/", {"unit": "HT"}).status_code == 403
    assert api.get(f"/api/v1/documents/{issued.pk}/").status_code == 404
    assert api.get(f"/api/v1/documents/{issued.pk}/recipients/").status_code == 404
    file_url = f"/api/v1/documents/{issued.pk}/attachments/{attachment.pk}/"
    assert api.get(file_url).status_code == 404
    entry = Recipient.objects.get(document=issued, unit=tree.grassroots_a1)
    assert api.post(f"/api/v1/documents/inbox/{entry.pk}/done/").status_code == 404


def test_a_recipient_sees_the_document_but_not_the_other_recipients(tree, officer_at, issued):
    api = api_for(officer_at(tree.grassroots_a1, scope.CLERK))
    assert api.get(f"/api/v1/documents/{issued.pk}/").json()["symbol"] == issued.symbol
    refused = api.get(f"/api/v1/documents/{issued.pk}/recipients/")
    assert refused.status_code == 403


def test_schema_describes_the_document_endpoints(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path in (
        "/api/v1/documents/inbox/",
        "/api/v1/documents/inbox/{id}/read/",
        "/api/v1/documents/outbox/",
        "/api/v1/documents/{id}/",
        "/api/v1/documents/{id}/recipients/",
        "/api/v1/documents/{id}/attachments/{attachment_id}/",
    ):
        assert path in schema["paths"], path
