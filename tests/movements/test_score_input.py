"""A scoring sheet posted with an entry that names none, or points that are not a number in
range: a 404 or the sheet's message, never a server error, and nothing written."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from tests.movements.helpers import campaign, entry
from unionhub.core import scope
from unionhub.core.errors import DomainError
from unionhub.movements import services
from unionhub.movements.models import Score


@pytest.fixture
def sheet(tree, officer_at):
    """A campaign with one entry and a juror logged in on their sheet."""
    organiser = officer_at(tree.province, scope.UNIT_ADMIN)
    run = campaign(tree.province, organiser)
    submitted = entry(run, tree.grassroots_a1, officer_at(tree.grassroots_a1, scope.CLERK))
    juror = officer_at(tree.province, scope.VIEWER)
    services.juror_appoint(campaign=run, user=juror, by=organiser)
    client = Client()
    client.force_login(juror)
    return client, run, submitted, juror


@pytest.mark.parametrize(
    "posted",
    [
        {"entry": ""},
        {"entry": "abc"},
        {"entry": "1.5"},
        {"entry": "NaN"},
        {"entry": "-1"},
        {"entry": "99999999999999999999"},
        {"entry": "²"},
        {},
    ],
    ids=repr,
)
def test_an_entry_that_names_none_is_not_found(sheet, posted):
    client, run, _submitted, _juror = sheet
    creative = run.criteria.first()
    answer = client.post(
        reverse("movements:score", args=[run.pk]), {**posted, f"c{creative.pk}": "10"}
    )
    assert answer.status_code == 404
    assert not Score.objects.exists()


def test_a_repeated_entry_key_ending_in_nonsense_is_not_found(sheet):
    client, run, submitted, _juror = sheet
    creative = run.criteria.first()
    answer = client.post(
        reverse("movements:score", args=[run.pk]),
        {"entry": [str(submitted.pk), "abc"], f"c{creative.pk}": "10"},
    )
    assert answer.status_code == 404
    assert not Score.objects.exists()


@pytest.mark.parametrize("typed", ["NaN", "nan", "sNaN", "Infinity", "-Infinity", "-inf"])
def test_points_that_are_no_number_in_range_are_refused_with_the_sheets_message(sheet, typed):
    client, run, submitted, _juror = sheet
    creative = run.criteria.get(name="Tính sáng tạo")
    answer = client.post(
        reverse("movements:score", args=[run.pk]),
        {"entry": submitted.pk, f"c{creative.pk}": typed},
    )
    assert answer.status_code == 200
    assert "Tính sáng tạo: điểm từ 0 đến 40" in answer.content.decode()
    assert not Score.objects.exists()


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity")], ids=str)
def test_the_service_refuses_points_that_are_no_finite_number(sheet, value):
    _client, run, submitted, juror = sheet
    creative = run.criteria.get(name="Tính sáng tạo")
    with pytest.raises(DomainError) as refused:
        services.scores_save(campaign=run, entry=submitted, points={creative.pk: value}, by=juror)
    assert (refused.value.code, refused.value.field) == ("points", f"c{creative.pk}")
    assert not Score.objects.exists()
