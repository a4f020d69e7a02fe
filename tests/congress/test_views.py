"""Organiser pages: every page, export and station endpoint is scoped to the congress
organiser role at the congress's unit; the station answers in JSON."""

from __future__ import annotations

import io
import json

import pytest
from django.conf import settings
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.congress.helpers import pdf_file, token_of
from unionhub.congress import services
from unionhub.congress.models import CheckIn, Congress, Delegate, Document
from unionhub.core import jobs, scope

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def organiser_urls(s) -> list[str]:
    c, session, d = s.congress.pk, s.opening.pk, s.elected[0].pk
    return [
        f"/congress/{c}/",
        f"/congress/{c}/settings/",
        f"/congress/{c}/sessions/add/",
        f"/congress/{c}/delegates/",
        f"/congress/{c}/delegates/?export=xlsx",
        f"/congress/{c}/delegates/add/",
        f"/congress/{c}/delegates/import/",
        f"/congress/{c}/badges/",
        f"/congress/{c}/documents/",
        f"/congress/documents/{s.delegates_doc.pk}/replace/",
        f"/congress/documents/{s.delegates_doc.pk}/file/",
        f"/congress/delegates/{d}/",
        f"/congress/delegates/{d}/badge/",
        f"/congress/sessions/{session}/station/",
        f"/congress/sessions/{session}/search/?q=an",
        f"/congress/sessions/{session}/roster/",
        f"/congress/sessions/{session}/attendance/",
        f"/congress/sessions/{session}/stream/",
        f"/congress/sessions/{session}/attendance/live/",
        f"/congress/sessions/{session}/attendance.xlsx",
        f"/congress/sessions/{session}/attendance.pdf",
    ]


def test_organiser_opens_every_page(client, setup):
    login(client, setup.organiser)
    for url in organiser_urls(setup):
        assert client.get(url).status_code == 200, url


def test_organiser_of_another_unit_is_refused_everywhere(client, setup):
    login(client, setup.other_organiser)
    for url in organiser_urls(setup):
        assert client.get(url).status_code == 403, url
    token = token_of(setup.elected[0])
    session = setup.opening.pk
    posts = [
        (f"/congress/sessions/{session}/scan/", {"code": token}),
        (f"/congress/sessions/{session}/manual/", {"delegate": setup.elected[0].pk}),
        (f"/congress/delegates/{setup.elected[0].pk}/card/revoke/", {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    response = client.post(
        f"/congress/sessions/{session}/upload/",
        json.dumps({"items": [{"token": token}]}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not CheckIn.objects.exists()
    assert not Delegate.objects.get(pk=setup.elected[0].pk).revoked


def test_other_roles_at_the_same_unit_are_refused(client, setup, officer_at, tree):
    registrar = officer_at(tree.province, scope.REGISTRAR)
    login(client, registrar)
    assert client.get(f"/congress/{setup.congress.pk}/").status_code == 403
    admin = officer_at(tree.province, scope.UNIT_ADMIN)  # unit admin implies every role
    login(client, admin)
    assert client.get(f"/congress/{setup.congress.pk}/").status_code == 200


def test_anonymous_is_sent_to_log_in(client, setup):
    response = client.get(f"/congress/sessions/{setup.opening.pk}/station/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_congress_list_shows_only_congresses_in_scope(client, setup):
    login(client, setup.other_organiser)
    page = client.get("/congress/").content.decode()
    assert "Đại hội Công đoàn huyện Can Lộc" in page
    assert "lần thứ XIX" not in page


def test_create_congress_and_session_through_the_pages(client, setup, tree):
    login(client, setup.other_organiser)
    response = client.post(
        "/congress/",
        {"name": "Đại hội lần thứ XX", "term": "2028–2033", "unit": tree.district_b.code},
    )
    congress = Congress.objects.get(name="Đại hội lần thứ XX")
    assert response["Location"] == f"/congress/{congress.pk}/"
    # A unit outside the organiser's reach is not even a choice.
    client.post("/congress/", {"name": "Lạ", "term": "2028–2033", "unit": tree.province.code})
    assert not Congress.objects.filter(name="Lạ").exists()
    client.post(
        f"/congress/{congress.pk}/sessions/add/",
        {"kind": "preparatory", "title": "Phiên trù bị", "starts_at": "2028-09-24T14:00"},
    )
    assert congress.sessions.get().title == "Phiên trù bị"


def test_station_scan_answers_green_then_already_then_red(client, setup):
    login(client, setup.organiser)
    url = f"/congress/sessions/{setup.opening.pk}/scan/"
    card = f"https://unionhub.example/d/{token_of(setup.elected[0])}"
    first = client.post(url, {"code": card, "station": "Cửa chính"}).json()
    assert first["status"] == "checked_in"
    assert first["delegate"]["name"] == "Nguyễn Văn An"
    assert first["delegate"]["delegation"] == "Đoàn huyện Can Lộc"
    second = client.post(url, {"code": token_of(setup.elected[0])}).json()
    assert second["status"] == "already"
    assert second["message"].startswith("Đã điểm danh lúc ")
    revoked = setup.elected[1]
    services.delegate_card_revoke(delegate=revoked, by=setup.organiser)
    third = client.post(url, {"code": token_of(revoked)}).json()
    assert third["status"] == "refused" and third["code"] == "card_revoked"
    assert CheckIn.objects.get().station == "Cửa chính"


def test_manual_search_check_in_and_undo_through_the_station(client, setup):
    login(client, setup.organiser)
    session = setup.opening.pk
    results = client.get(f"/congress/sessions/{session}/search/?q=tran thi binh").content.decode()
    assert "Trần Thị Bình" in results and "Nguyễn Văn An" not in results
    body = client.post(
        f"/congress/sessions/{session}/manual/", {"delegate": setup.elected[1].pk}
    ).json()
    assert body["status"] == "checked_in"
    results = client.get(f"/congress/sessions/{session}/search/?q=binh").content.decode()
    assert "đã điểm danh lúc" in results
    client.post(body["checkin"]["undo"], HTTP_ACCEPT="application/json")
    assert not CheckIn.objects.exists()


def test_roster_carries_what_an_offline_station_needs(client, setup):
    login(client, setup.organiser)
    services.delegate_card_reissue(delegate=setup.elected[0], by=setup.organiser)
    services.checkin_scan(
        session=setup.opening, token=token_of(setup.elected[2]), by=setup.organiser
    )
    body = client.get(f"/congress/sessions/{setup.opening.pk}/roster/").json()
    entries = {d["id"]: d for d in body["delegates"]}
    assert len(entries) == 9
    assert entries[setup.elected[0].pk]["serial"] == 2
    assert body["checkedIn"] == [setup.elected[2].pk]
    assert setup.other_delegate.pk not in entries


def test_offline_upload_endpoint(client, setup):
    login(client, setup.organiser)
    items = [{"token": token_of(d), "at": "2023-09-25T00:30:00+00:00"} for d in setup.elected[:3]]
    response = client.post(
        f"/congress/sessions/{setup.opening.pk}/upload/",
        json.dumps({"items": items + items}),
        content_type="application/json",
        HTTP_X_STATION="Cửa phụ",
    )
    statuses = [r["status"] for r in response.json()["results"]]
    assert statuses == ["checked_in"] * 3 + ["already"] * 3
    assert CheckIn.objects.count() == 3
    bad = client.post(
        f"/congress/sessions/{setup.opening.pk}/upload/", "nope", content_type="application/json"
    )
    assert bad.status_code == 400


def test_attendance_fragment_counts_per_category_and_quorum(client, setup):
    login(client, setup.organiser)
    for delegate in setup.elected[:5]:
        services.checkin_manual(session=setup.opening, delegate=delegate, by=setup.organiser)
    page = client.get(f"/congress/sessions/{setup.opening.pk}/attendance/live/").content.decode()
    # 7 elected: more than two thirds is 5; 5 present, reached.
    assert 'data-testid="present-total">5 / 9<' in page
    assert 'data-testid="quorum" style="color:#2e7d32">5 / 5<' in page
    services.checkin_undo(checkin=CheckIn.objects.first(), by=setup.organiser)
    page = client.get(f"/congress/sessions/{setup.opening.pk}/attendance/live/").content.decode()
    assert "4 / 5" in page and "Chưa đủ số lượng" in page


def test_exports_list_the_delegates_and_the_attendance(client, setup):
    login(client, setup.organiser)
    services.checkin_manual(session=setup.opening, delegate=setup.guest, by=setup.organiser)
    response = client.get(f"/congress/{setup.congress.pk}/delegates/?export=xlsx&category=elected")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(names) == 7 and "Bùi Thị Khách" not in names
    response = client.get(f"/congress/sessions/{setup.opening.pk}/attendance.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert len(rows) == 9
    assert rows["Bùi Thị Khách"][4] == "có mặt"
    assert rows["Nguyễn Văn An"][4] == "vắng"
    response = client.get(f"/congress/sessions/{setup.opening.pk}/attendance.pdf")
    text = PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages[0].extract_text()
    assert "Bùi Thị Khách" in text and "Có mặt: 1 / 9" in text


def test_badge_batch_runs_as_a_job_and_prints_every_badge(
    client, setup, django_capture_on_commit_callbacks
):
    login(client, setup.organiser)
    response = client.post(f"/congress/{setup.congress.pk}/badges/", {"size": "cr80"})
    job_url = response["Location"]
    job = jobs.Job.objects.get()
    assert job_url == f"/jobs/{job.pk}/"
    job = jobs.job_run(str(job.pk))
    assert job.status == "done", job.message
    reader = PdfReader(job.result_file.open("rb"))
    assert len(reader.pages) == 1  # nine CR80 badges on one A4 sheet of ten
    text = reader.pages[0].extract_text()
    assert "Nguyễn Văn An" in text and "Bùi Thị Khách" in text
    single = client.get(f"/congress/delegates/{setup.guest.pk}/badge/?size=a6")
    assert PdfReader(io.BytesIO(b"".join(single.streaming_content))).pages[0].extract_text()


def test_publish_and_correct_a_document_through_the_pages(client, setup):
    login(client, setup.organiser)
    url = f"/congress/{setup.congress.pk}/documents/"
    client.post(
        url, {"title": "Nghị quyết", "order": 5, "visibility": "public", "file": pdf_file()}
    )
    document = Document.objects.get(title="Nghị quyết")
    not_pdf = io.BytesIO(b"MZ not a pdf")
    not_pdf.name = "virus.pdf"
    response = client.post(f"/congress/documents/{document.pk}/replace/", {"file": not_pdf})
    assert "Chỉ được đăng tệp PDF." in response.content.decode()
    client.post(f"/congress/documents/{document.pk}/replace/", {"file": pdf_file("v2")})
    document.refresh_from_db()
    assert document.version == 2


def test_delegate_export_headers_follow_the_officers_language(client, setup):
    login(client, setup.organiser)
    url = f"/congress/{setup.congress.pk}/delegates/?export=xlsx"
    headers = {}
    for language in ("vi", "en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = client.get(url)
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        headers[language] = next(sheet.iter_rows(max_row=1, values_only=True))[:2]
    assert headers == {"vi": ("STT", "Họ và tên"), "en": ("No.", "Full name")}
