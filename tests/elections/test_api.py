"""The elections API: scoped to the congress's organisers, results only once released."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.elections.helpers import NAMES, candidate_ids, make_election, open_round
from unionhub.elections import services

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_rounds_show_turnout_and_the_result_only_after_release(setup):
    election = make_election(setup, seats=1)
    round = open_round(setup, election, "electronic")
    ids = candidate_ids(round)
    for delegate in [*setup.elected[:-1], setup.ex_officio][:5]:
        services.vote_cast(round=round, delegate=delegate, kept=[ids["Trần Văn Khánh"]])
    client = api(setup.organiser)

    listed = client.get("/api/v1/elections/").json()
    (entry,) = [e for e in listed["results"] if e["id"] == election.pk]
    (first,) = entry["rounds"]
    assert (first["state"], first["eligible"], first["turnout"], first["result"]) == (
        "open",
        7,
        5,
        None,
    )
    assert sorted(entry["candidates"]) == sorted(NAMES)

    services.round_close(round=round, by=setup.organiser)
    assert client.get(f"/api/v1/elections/{election.pk}/").json()["rounds"][0]["result"] is None
    services.round_release(round=round, by=setup.organiser)
    result = client.get(f"/api/v1/elections/{election.pk}/").json()["rounds"][0]["result"]
    assert (result["issued"], result["cast"], result["valid"], result["invalid"]) == (7, 5, 5, 0)
    elected = [line["name"] for line in result["lines"] if line["elected"]]
    assert elected == ["Trần Văn Khánh"]
    assert result["lines"][0] == {
        "name": "Trần Văn Khánh",
        "votes": 5,
        "share": 100.0,
        "elected": True,
        "tied": False,
    }


def test_a_sibling_congress_organiser_sees_nothing_of_the_province_election(setup):
    election = make_election(setup)
    motion = services.motion_create(
        congress=setup.congress,
        session=setup.opening,
        title="Thông qua Nghị quyết",
        by=setup.organiser,
    )
    other = api(setup.other_organiser)
    assert election.pk not in [e["id"] for e in other.get("/api/v1/elections/").json()["results"]]
    assert other.get(f"/api/v1/elections/{election.pk}/").status_code == 404
    assert other.get(f"/api/v1/elections/motions/{motion.pk}/").status_code == 404
    assert APIClient().get("/api/v1/elections/").status_code in (401, 403)


def test_a_motion_shows_its_votes_once_released(setup):
    motion = services.motion_create(
        congress=setup.congress,
        session=setup.opening,
        title="Thông qua Nghị quyết",
        by=setup.organiser,
    )
    services.motion_record(
        motion=motion, votes_for=4, votes_against=1, votes_abstain=0, by=setup.organiser
    )
    client = api(setup.organiser)
    body = client.get(f"/api/v1/elections/motions/{motion.pk}/").json()
    assert (body["votes"], body["passed"]) == (None, None)
    services.motion_release(motion=motion, by=setup.organiser)
    body = client.get(f"/api/v1/elections/motions/{motion.pk}/").json()
    motion.refresh_from_db()
    assert body["votes"] == {"for": 4, "against": 1, "abstain": 0, "present": motion.present}
    assert motion.present == 6  # the checked-in official delegates
    assert body["passed"] is True
