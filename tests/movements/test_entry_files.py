"""An entry's files are read only through the scoped download: the campaign's jurors, the
officers who reach the registering union and those of the campaign's unit; nobody else."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.movements.helpers import TODAY, campaign
from unionhub.core import scope
from unionhub.movements import services
from unionhub.movements.models import EntryFile

CONTENT = "Bản thuyết minh sáng kiến".encode()


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(tree, officer_at):
    organiser = officer_at(tree.province, scope.UNIT_ADMIN)
    clerk = officer_at(tree.grassroots_a1, scope.CLERK)
    run = campaign(tree.province, organiser)
    juror = officer_at(tree.province, scope.VIEWER)
    services.juror_appoint(campaign=run, user=juror, by=organiser)
    registration = services.register(campaign=run, unit=tree.grassroots_a1, today=TODAY, by=clerk)
    entry = services.entry_submit(
        registration=registration, title="Máy cắt cải tiến", text="Giảm 20% điện năng",
        files=[SimpleUploadedFile("thuyết minh.txt", CONTENT)], today=TODAY, by=clerk,
    )  # fmt: skip
    return run, entry, entry.files.get(), juror, clerk


def _get(user, url):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client.get(url)


def test_a_juror_and_the_registering_union_download_the_file(world, tree, officer_at):
    _run, _entry, stored, juror, clerk = world
    url = reverse("movements:entry_file", args=[stored.pk])
    district = officer_at(tree.district_a, scope.VIEWER)  # above the registering union
    for user in (juror, clerk, district):
        response = _get(user, url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == CONTENT
        assert response["Content-Disposition"].startswith("attachment;")
        assert "thuy%E1%BA%BFt%20minh.txt" in response["Content-Disposition"]


def test_a_sibling_union_and_an_officer_outside_the_jury_are_refused(world, tree, officer_at):
    run, _entry, stored, _juror, _clerk = world
    url = reverse("movements:entry_file", args=[stored.pk])
    sibling = officer_at(tree.grassroots_a2, scope.UNIT_ADMIN)  # takes part in the same campaign
    other_district = officer_at(tree.district_b, scope.UNIT_ADMIN)
    for user in (sibling, other_district):
        assert _get(user, url).status_code in (403, 404)
    assert _get(sibling, reverse("movements:campaign", args=[run.pk])).status_code == 200


def test_the_campaign_and_scoring_pages_link_the_files(world):
    run, _entry, stored, juror, clerk = world
    link = reverse("movements:entry_file", args=[stored.pk])
    assert link in _get(clerk, reverse("movements:campaign", args=[run.pk])).content.decode()
    page = _get(juror, reverse("movements:score", args=[run.pk])).content.decode()
    assert link in page and "thuyết minh.txt" in page
    assert EntryFile.objects.count() == 1
