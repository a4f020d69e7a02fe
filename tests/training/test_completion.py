"""Completion: the certificate of an attended enrolment verifies by its QR; the report counts
people trained per unit and topic and names the unions with nobody trained."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import tampered
from tests.training.helpers import STARTS, client_of, session_of
from unionhub.core import scope
from unionhub.training import certificates, services


@pytest.fixture
def attended(tree, organiser, admit, monkeypatch):
    session = session_of(tree.district_a, organiser, capacity=5)
    monkeypatch.setattr(
        "unionhub.training.services.timezone.now", lambda: STARTS + dt.timedelta(hours=2)
    )
    lan = services.enrol(
        session=session, member=admit(tree.grassroots_a1, full_name="Trần Thị Lan"), by=organiser
    )
    services.enrol(session=session, member=admit(tree.grassroots_a1), by=organiser)
    return services.attendance_set(enrolment=lan, present=True, by=organiser)


def test_the_certificate_carries_a_qr_that_verifies(tree, organiser, attended, tmp_path):
    response = client_of(organiser).get(reverse("training:certificate", args=[attended.pk]))
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Trần Thị Lan" in text
    public = Client()
    url = reverse("training_public:verify", args=[certificates.token(attended)])
    page = public.get(url)
    assert page.status_code == 200
    assert 'data-verdict="genuine"' in page.content.decode()
    assert "Trần Thị Lan" in page.content.decode()
    services.attendance_set(enrolment=attended, present=False, by=organiser)
    assert public.get(url).status_code == 404


def test_a_forged_or_foreign_token_does_not_verify(attended):
    from unionhub.core.certificates import certificate_token

    award_purpose = certificate_token(attended.pk, purpose=b"award")
    for token in (award_purpose, tampered(certificates.token(attended))):
        page = Client().get(reverse("training_public:verify", args=[token]))
        assert page.status_code == 404


def test_no_certificate_before_attendance_and_none_for_a_sibling(
    tree, organiser, officer_at, admit
):
    session = session_of(tree.district_a, organiser, capacity=5)
    enrolment = services.enrol(session=session, member=admit(tree.grassroots_a1), by=organiser)
    url = reverse("training:certificate", args=[enrolment.pk])
    assert client_of(organiser).get(url).status_code == 404
    sibling = client_of(officer_at(tree.district_b, scope.UNIT_ADMIN))
    assert sibling.get(url).status_code in (403, 404)


def test_the_report_counts_people_per_unit_and_topic_and_names_untrained_unions(
    tree, organiser, attended
):
    client = client_of(organiser)
    query = {"unit": tree.district_a.code, "start": "2027-01-01", "end": "2027-01-31",
             "topic": "Văn bản điện tử"}  # fmt: skip
    page = client.get(reverse("training:report"), query).content.decode()
    assert re.search(r"<td>[^<]*</td><td>Văn bản điện tử</td><td>1</td>", page)
    untrained = re.search(r'<ul data-testid="untrained">(.*?)</ul>', page, re.S).group(1)
    assert tree.grassroots_a2.code in untrained
    assert tree.grassroots_a1.code not in untrained
    export = client.get(reverse("training:report"), {**query, "topic": "", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows == [(tree.grassroots_a1.code, tree.grassroots_a1.name, "Văn bản điện tử", 1)]


def test_the_report_prints_to_pdf_both_lists(tree, organiser, attended, tmp_path):
    client = client_of(organiser)
    query = {"unit": tree.district_a.code, "start": "2027-01-01", "end": "2027-01-31",
             "export": "pdf"}  # fmt: skip
    for topic, present, absent in (
        ("", tree.grassroots_a1.name, tree.grassroots_a2.name),
        ("Văn bản điện tử", tree.grassroots_a2.name, tree.grassroots_a1.name),
    ):
        response = client.get(reverse("training:report"), {**query, "topic": topic})
        assert response["Content-Type"] == "application/pdf"
        pdf = tmp_path / "report.pdf"
        pdf.write_bytes(b"".join(response.streaming_content))
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        text = " ".join(text.split())  # a long name may wrap in its cell
        assert present in text and absent not in text
        assert tree.district_a.name in text  # the period's unit, under the title


def test_the_report_refuses_a_sibling_unit(tree, officer_at, attended):
    sibling = client_of(officer_at(tree.district_b))
    response = sibling.get(
        reverse("training:report"),
        {"unit": tree.district_a.code, "start": "2027-01-01", "end": "2027-01-31"},
    )
    assert response.status_code == 200
    assert 'data-testid="trained"' not in response.content.decode()


def test_the_unit_page_shows_the_training_its_people_completed(tree, organiser, attended):
    page = client_of(organiser).get(reverse("orgs:unit", args=[tree.grassroots_a1.pk]))
    panel = re.search(r'data-testid="training-panel">(.*?)</section>', page.content.decode(), re.S)
    assert "Trần Thị Lan" in panel.group(1)
    other = client_of(organiser).get(reverse("orgs:unit", args=[tree.grassroots_a2.pk]))
    assert 'data-testid="training-panel"' not in other.content.decode()
