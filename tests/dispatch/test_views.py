"""The web pages: a unit's registers, the draft-to-issue flow, and refusals outside the scope."""

from __future__ import annotations

import io
import re

import pytest
from django.conf import settings
from openpyxl import load_workbook

from tests.dispatch.helpers import draft_and_issue, pdf_bytes, pdf_upload
from unionhub.core import jobs, scope
from unionhub.dispatch import exports
from unionhub.dispatch.models import Document, Recipient, TargetKind


@pytest.fixture
def issued(tree, province_clerk):
    return draft_and_issue(
        unit=tree.province, by=province_clerk, targets=[(tree.district_a, TargetKind.SUBTREE)]
    )


def login(client, user):
    client.force_login(user)
    return client


def doc_url(unit, document, rest=""):
    return f"/documents/u/{unit.pk}/d/{document.pk}/{rest}"


def test_the_clerk_drafts_adds_recipients_attaches_and_issues(client, tree, province_clerk):
    login(client, province_clerk)
    response = client.post(
        f"/documents/u/{tree.province.pk}/new/",
        {
            "doc_type": "CV",
            "department": "tc",
            "summary": "Về việc hưởng ứng Tháng Công nhân",
            "signer": "Nguyễn Văn Hùng",
            "signer_title": "Chủ tịch",
            "urgency": "urgent",
        },
    )
    draft = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == doc_url(tree.province, draft)
    page = client.get(doc_url(tree.province, draft, "candidates/"), {"q": "duc tho"})
    assert "Liên đoàn Lao động huyện Đức Thọ" in page.content.decode()
    client.post(
        doc_url(tree.province, draft, "targets/"),
        {"unit": tree.district_a.pk, "kind": TargetKind.GRASSROOTS},
    )
    page = client.get(doc_url(tree.province, draft)).content.decode()
    assert re.search(r'data-testid="reach">[^<]*\b2\b', page)
    client.post(doc_url(tree.province, draft, "files/"), {"file": pdf_upload()})
    preview = client.get(doc_url(tree.province, draft, "issue/")).content.decode()
    assert re.search(r'data-testid="preview-reach"><strong>[^<]*\b2\b', preview)
    assert tree.grassroots_a1.name in preview and 'data-testid="issue-confirm"' in preview
    draft.refresh_from_db()
    assert draft.symbol == ""  # the preview issues nothing
    response = client.post(doc_url(tree.province, draft, "issue/"), follow=True)
    draft.refresh_from_db()
    short = tree.province.short_name or tree.province.code
    assert draft.symbol == f"1/{short}-TC"
    assert f"1/{short}-TC" in response.content.decode()
    assert recipients(draft) == {"HT-DT-0001", "HT-DT-0002"}
    outbox = client.get(f"/documents/u/{tree.province.pk}/sent/").content.decode()
    assert draft.symbol in outbox


def recipients(document):
    return set(Recipient.objects.filter(document=document).values_list("unit__code", flat=True))


def test_a_refused_issue_shows_the_reason(client, tree, province_clerk):
    login(client, province_clerk)
    client.post(
        f"/documents/u/{tree.province.pk}/new/",
        {"doc_type": "CV", "summary": "Không có tệp", "signer": "A", "urgency": "normal"},
    )
    draft = Document.objects.get()
    page = client.post(doc_url(tree.province, draft, "issue/"), follow=True).content.decode()
    assert "Hãy đính kèm văn bản đã ký" in page
    draft.refresh_from_db()
    assert not draft.is_issued


def test_opening_the_inbox_document_records_the_read_and_the_sender_sees_it(
    client, tree, officer_at, issued, province_clerk
):
    officer = officer_at(tree.grassroots_a1, scope.CLERK)
    officer.first_name = "Hồ Thị Hoa"
    officer.save()
    inbox = login(client, officer).get("/documents/", follow=True)
    assert issued.symbol in inbox.content.decode()
    assert 'data-testid="nav-badge">1<' in inbox.content.decode()
    client.get(doc_url(tree.grassroots_a1, issued))
    entry = Recipient.objects.get(document=issued, unit=tree.grassroots_a1)
    assert entry.read_by == officer
    assert 'data-testid="nav-badge"' not in client.get("/documents/", follow=True).content.decode()
    tracking = login(client, province_clerk).get(doc_url(tree.province, issued, "?state=read"))
    page = tracking.content.decode()
    assert "Hồ Thị Hoa" in page and tree.grassroots_a1.name in page
    assert tree.grassroots_a2.name not in page


def test_inbox_search_ignores_diacritics(client, tree, officer_at, issued):
    login(client, officer_at(tree.district_a, scope.VIEWER))
    url = f"/documents/u/{tree.district_a.pk}/"
    assert issued.symbol in client.get(url, {"summary": "thang cong nhan"}).content.decode()
    assert issued.symbol not in client.get(url, {"summary": "dai hoi"}).content.decode()
    assert issued.symbol in client.get(url, {"number": str(issued.number)}).content.decode()
    assert issued.symbol in client.get(url, {"sender": "ha tinh"}).content.decode()


def test_inbox_exports_to_xlsx(client, tree, officer_at, issued):
    login(client, officer_at(tree.district_a, scope.VIEWER))
    response = client.get(f"/documents/u/{tree.district_a.pk}/", {"export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == f"1/{issued.year}" and rows[1][2] == issued.symbol


def test_a_long_export_runs_as_a_job(client, tree, officer_at, issued, monkeypatch):
    monkeypatch.setattr(exports, "INLINE_LIMIT", 0)
    officer = officer_at(tree.province, scope.VIEWER)
    response = login(client, officer).get(f"/documents/u/{tree.province.pk}/sent/?export=xlsx")
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    job = jobs.job_run(response["Location"].split("/")[2])
    assert job.status == "done", job.message
    sheet = load_workbook(job.result_file.open("rb")).active
    assert list(sheet.iter_rows(values_only=True))[1][0] == issued.symbol


# Refusals ----------------------------------------------------------------------------------


def test_another_units_registers_are_refused(client, tree, officer_at, issued):
    login(client, officer_at(tree.district_b, scope.UNIT_ADMIN))
    for url in (
        f"/documents/u/{tree.district_a.pk}/",
        f"/documents/u/{tree.district_a.pk}/sent/",
        doc_url(tree.district_a, issued),
        doc_url(tree.province, issued),
    ):
        assert client.get(url).status_code == 403, url


def test_a_document_is_refused_through_a_unit_that_did_not_get_it(client, tree, officer_at, issued):
    login(client, officer_at(tree.grassroots_b1, scope.CLERK))
    assert client.get(doc_url(tree.grassroots_b1, issued)).status_code == 403
    attachment = issued.attachments.get()
    url = doc_url(tree.grassroots_b1, issued, f"files/{attachment.pk}/")
    assert client.get(url).status_code == 403


def test_attachments_are_served_to_recipients_and_sender_only(
    client, tree, officer_at, issued, province_clerk
):
    attachment = issued.attachments.get()
    login(client, officer_at(tree.grassroots_a2, scope.VIEWER))
    response = client.get(doc_url(tree.grassroots_a2, issued, f"files/{attachment.pk}/"))
    assert response.status_code == 200 and b"".join(response.streaming_content) == pdf_bytes()
    login(client, province_clerk)
    assert client.get(doc_url(tree.province, issued, f"files/{attachment.pk}/")).status_code == 200
    login(client, officer_at(tree.district_b, scope.UNIT_ADMIN))
    assert (
        client.get(doc_url(tree.district_a, issued, f"files/{attachment.pk}/")).status_code == 403
    )


def test_the_stored_file_has_no_public_url(client, tree, province_clerk, issued):
    login(client, province_clerk)
    name = issued.attachments.get().file.name
    assert client.get(f"/{settings.MEDIA_URL.strip('/')}/{name}").status_code == 404


def test_drafts_stay_with_the_sender(client, tree, province_clerk, officer_at):
    login(client, province_clerk)
    client.post(
        f"/documents/u/{tree.province.pk}/new/",
        {"doc_type": "CV", "summary": "Bản nháp", "urgency": "normal"},
    )
    draft = Document.objects.get()
    client.post(
        doc_url(tree.province, draft, "targets/"),
        {"unit": tree.district_a.pk, "kind": TargetKind.UNIT},
    )
    login(client, officer_at(tree.district_a, scope.CLERK))
    assert client.get(doc_url(tree.district_a, draft)).status_code == 403


def test_a_viewer_cannot_act(client, tree, officer_at, issued):
    viewer = officer_at(tree.grassroots_a1, scope.VIEWER)
    login(client, viewer)
    page = client.get(doc_url(tree.grassroots_a1, issued)).content.decode()
    assert 'data-testid="mark-done"' not in page
    response = client.post(doc_url(tree.grassroots_a1, issued, "done/"), follow=True)
    assert Recipient.objects.get(document=issued, unit=tree.grassroots_a1).status == "new"
    assert response.status_code == 403 or "ngoài" in response.content.decode()
