"""Officers' pages and the API: scoped, with the workflow's buttons and refusals."""

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from unionhub.cards import services
from unionhub.cards.models import Card, CardState
from unionhub.core import scope
from unionhub.core.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_list_shows_only_cards_in_scope_and_exports(as_user, admit, tree, issued_card, officer_at):
    services.card_request(
        member=admit(unit=tree.grassroots_b1, full_name="Lê Văn Xa"), by=tree.admin
    )
    client = as_user(officer_at(tree.grassroots_a1, scope.REGISTRAR))
    page = client.get("/cards/").content.decode()
    assert issued_card.member.full_name in page
    assert "Lê Văn Xa" not in page
    export = client.get("/cards/?export=xlsx")
    rows = list(load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.values)
    assert len(rows) == 2 and rows[1][0] == issued_card.number_display
    assert "Date of birth" in rows[0] or "Ngày sinh" in rows[0]


def test_card_export_leaves_out_the_date_of_birth_for_viewers(
    as_user, tree, issued_card, officer_at
):
    client = as_user(officer_at(tree.grassroots_a1, scope.VIEWER))
    export = client.get("/cards/?export=xlsx")
    rows = list(load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.values)
    assert rows[1][0] == issued_card.number_display
    assert issued_card.member.birth_date not in [
        value.date() if hasattr(value, "date") else value for value in rows[1]
    ]
    assert len(rows[1]) == len(rows[0]) == 7


def test_list_filters_by_number_and_state(as_user, issued_card, admit, registrar):
    services.card_request(member=admit(full_name="Phan Thị Chờ"), by=registrar)
    client = as_user(registrar)
    page = client.get("/cards/", {"q": issued_card.number[:9]}).content.decode()
    assert issued_card.member.full_name in page and "Phan Thị Chờ" not in page
    page = client.get("/cards/", {"state": "requested"}).content.decode()
    assert "Phan Thị Chờ" in page and issued_card.number_display not in page


def test_out_of_scope_card_page_and_pdf_are_refused(as_user, issued_card, tree, officer_at):
    client = as_user(officer_at(tree.grassroots_b1, scope.REGISTRAR))
    assert client.get(f"/cards/{issued_card.pk}/").status_code == 403
    assert client.get(f"/cards/{issued_card.pk}/pdf/").status_code == 403
    assert client.post(f"/cards/{issued_card.pk}/revoke/", {"reason": "lost"}).status_code == 403
    issued_card.refresh_from_db()
    assert issued_card.state == CardState.APPROVED


def test_out_of_scope_unit_filter_is_refused(as_user, tree, registrar):
    assert as_user(registrar).get("/cards/", {"unit": tree.grassroots_b1.code}).status_code == 403


def test_workflow_through_the_pages(as_user, member, registrar, approver, series):
    client = as_user(registrar)
    response = client.post(f"/cards/request/{member.pk}/")
    card = Card.objects.get(member=member)
    assert response.status_code == 302
    client.post(f"/cards/{card.pk}/approve/")
    card.refresh_from_db()
    assert card.state == CardState.REQUESTED  # the requester cannot approve
    as_user(approver).post(f"/cards/{card.pk}/approve/")
    card.refresh_from_db()
    assert card.state == CardState.APPROVED
    client = as_user(registrar)
    pdf = client.get(f"/cards/{card.pk}/pdf/?layout=single")
    assert (
        member.full_name
        in PdfReader(io.BytesIO(b"".join(pdf.streaming_content))).pages[0].extract_text()
    )
    client.post(f"/cards/{card.pk}/printed/")
    client.post(f"/cards/{card.pk}/delivered/")
    card.refresh_from_db()
    assert card.state == CardState.DELIVERED
    client.post(f"/cards/{card.pk}/reissue/", {"reason": "damaged"})
    card.refresh_from_db()
    assert card.state == CardState.REVOKED and card.replaced_by.state == CardState.REQUESTED


def test_bulk_approve_and_render_small_selection(as_user, admit, registrar, approver, series):
    members = [admit() for _ in range(3)]
    for m in members:
        services.card_request(member=m, by=registrar)
    client = as_user(approver)
    client.post("/cards/bulk/", {"action": "approve", "state": "requested"})
    assert Card.objects.filter(state=CardState.APPROVED).count() == 0  # nothing ticked
    client.post("/cards/bulk/", {"action": "approve", "state": "requested", "all_matching": "2"})
    assert Card.objects.filter(state=CardState.APPROVED).count() == 0  # the filter matches 3
    client.post("/cards/bulk/", {"action": "approve", "state": "requested", "all_matching": "3"})
    assert Card.objects.filter(state=CardState.APPROVED).count() == 3
    ticked = Card.objects.order_by("pk").values_list("pk", flat=True)[:2]
    response = client.post(
        "/cards/bulk/", {"action": "sheet", "state": "approved", "ids": list(ticked)}
    )
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    assert len(reader.pages) == 2


def test_large_render_and_batch_request_run_as_jobs(
    as_user,
    admit,
    tree,
    registrar,
    approver,
    series,
    monkeypatch,
    django_capture_on_commit_callbacks,
    settings,
    tmp_path,
):
    from django.core.files.storage import default_storage

    from unionhub.cards import photos, views
    from unionhub.core import jobs

    settings.MEDIA_ROOT = tmp_path / "media"
    for _ in range(3):
        admit(unit=tree.grassroots_a2)
    pictured = admit(photo=True)
    client = as_user(approver)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            "/cards/batch/", {"unit": tree.district_a.code, "include_subunits": "on"}
        )
    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/" or str(job.pk) in response["Location"]
    job = jobs.job_run(str(job.pk))
    assert job.status == "done" and job.result == {"requested": 4, "photos": 1}
    # The batch made the print-ready copy of the one photo, ahead of printing.
    assert default_storage.exists(photos.print_name(pictured.photo.name))
    services.card_approve_batch(cards=list(Card.objects.all()), by=tree.admin)

    monkeypatch.setattr(views, "DIRECT_RENDER_LIMIT", 1)
    with django_capture_on_commit_callbacks(execute=False):
        client.post("/cards/bulk/", {"action": "sheet", "state": "approved", "all_matching": "4"})
    render_job = Job.objects.exclude(pk=job.pk).get()
    render_job = jobs.job_run(str(render_job.pk))
    assert render_job.status == "done", render_job.message
    assert sorted(render_job.result["files"]) == [
        f"{tree.grassroots_a1.code}-sheet.pdf",
        f"{tree.grassroots_a2.code}-sheet.pdf",
    ]


def test_api_lists_cards_in_scope_with_state(as_user, issued_card, admit, tree, officer_at):
    services.card_request(member=admit(unit=tree.grassroots_b1), by=tree.admin)
    client = as_user(officer_at(tree.grassroots_a1, scope.VIEWER))
    data = client.get("/api/v1/cards/").json()
    results = data["results"] if isinstance(data, dict) else data
    assert [c["number"] for c in results] == [issued_card.number]
    assert results[0]["state"] == "approved"
    assert results[0]["member"] == str(issued_card.member.public_id)
    other = Card.objects.exclude(pk=issued_card.pk).get()
    response = client.get(f"/api/v1/cards/{other.pk}/")
    assert response.status_code == 404


def test_unit_panel_counts_cards_by_state(rf, issued_card, tree, registrar, officer_at):
    from django.template.loader import render_to_string

    from unionhub.cards.views import unit_panel

    request = rf.get("/")
    request.user = registrar
    panel = unit_panel(request, tree.grassroots_a1)
    assert panel.context["counts"]["approved"] == 1
    html = render_to_string(panel.template, {"panel": panel.context}, request=request)
    assert 'data-testid="cards-panel"' in html
    request.user = officer_at(tree.grassroots_a1, scope.VIEWER)
    assert unit_panel(request, tree.grassroots_a1) is None


def test_member_panel_offers_a_request_to_the_registrar(rf, member, registrar):
    from django.template.loader import render_to_string

    from unionhub.cards.views import member_panel

    request = rf.get("/")
    request.user = registrar
    panel = member_panel(request, member)
    html = render_to_string(panel.template, {"panel": panel.context}, request=request)
    assert f"/cards/request/{member.pk}/" in html


def test_the_approve_button_is_shown_only_to_officers_who_may_approve(as_user, registrar, approver):
    assert 'value="approve"' not in as_user(registrar).get("/cards/").content.decode()
    assert 'value="approve"' in as_user(approver).get("/cards/").content.decode()
