"""The delegate votes on the phone page; results show on it and in exports only after the
presidium releases them; organisers of another unit are refused."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.congress.helpers import token_of
from tests.elections.helpers import candidate_ids, make_election, open_round
from unionhub.congress import services as congress_services
from unionhub.elections import services, signals
from unionhub.elections.models import Election, ElectronicBallot, Motion, VoteCast

pytestmark = pytest.mark.django_db


def test_delegate_votes_on_the_phone_and_sees_the_elected_only_after_release(client, setup):
    round = open_round(setup, make_election(setup, seats=1), "electronic")
    ids = candidate_ids(round)
    hoa = ids["Nguyễn Thị Hoa"]
    voters = [*setup.elected[:-1], setup.ex_officio]
    receipt = None
    for delegate in voters:
        token = token_of(delegate)
        page = client.get(f"/d/{token}/votes/").content.decode()
        assert "Nguyễn Thị Hoa" in page
        answer = client.post(f"/d/{token}/votes/{round.pk}/", {f"r{round.pk}-kept": [hoa]})
        assert answer.status_code == 200
        receipt = answer.context["receipt"]
        assert receipt and receipt in answer.content.decode()
    again = client.post(f"/d/{token_of(voters[0])}/votes/{round.pk}/", {f"r{round.pk}-kept": [hoa]})
    assert again.status_code == 403
    assert VoteCast.objects.filter(round=round).count() == len(voters)
    assert ElectronicBallot.objects.filter(round=round).count() == len(voters)

    services.round_close(round=round, by=setup.organiser)
    token = token_of(voters[0])
    client.force_login(setup.organiser)
    before = client.get(f"/d/{token}/votes/")
    assert before.context["reports"] == []
    # Exports are refused before the release too.
    assert client.get(f"/elections/rounds/{round.pk}/results.xlsx").status_code == 302
    assert client.get(f"/elections/rounds/{round.pk}/minutes.pdf").status_code == 302

    client.post(f"/elections/rounds/{round.pk}/do/release/")
    after = client.get(f"/d/{token}/votes/")
    assert [line.name for line in after.context["reports"][0].lines if line.elected] == [
        "Nguyễn Thị Hoa"
    ]
    checked = client.post(f"/d/{token}/votes/", {"receipt": receipt.lower()})
    assert checked.context["receipt_checked"] is True

    workbook = load_workbook(io.BytesIO(b"".join(client.get(
        f"/elections/rounds/{round.pk}/results.xlsx").streaming_content)))  # fmt: skip
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[1][1:3] == ("Nguyễn Thị Hoa", len(voters))
    minutes = client.get(f"/elections/rounds/{round.pk}/minutes.pdf")
    assert b"".join(minutes.streaming_content).startswith(b"%PDF-")


def test_a_guest_sees_no_ballot_and_cannot_vote(client, setup):
    round = open_round(setup, make_election(setup), "electronic")
    token = token_of(setup.guest)
    page = client.get(f"/d/{token}/votes/")
    assert page.context["open_rounds"][0]["form"] is None
    assert client.post(f"/d/{token}/votes/{round.pk}/", {}).status_code == 403
    assert VoteCast.objects.count() == 0


def test_a_revoked_card_opens_nothing(client, setup):
    open_round(setup, make_election(setup), "electronic")
    revoked = congress_services.delegate_card_revoke(delegate=setup.elected[0], by=setup.organiser)
    assert client.get(f"/d/{token_of(revoked)}/votes/").status_code == 403


def test_organiser_creates_an_election_and_prints_ballots(client, setup):
    client.force_login(setup.organiser)
    answer = client.post(
        f"/elections/congress/{setup.congress.pk}/",
        {
            "e-session": setup.opening.pk,
            "e-body": "executive",
            "e-title": "Bầu Ban Chấp hành khoá XIX",
            "e-seats": 2,
            "e-candidates": "Nguyễn Thị Hoa\nTrần Văn Khánh\nLê Thị Lan",
            "e-too_few": "further_round",
        },
    )
    assert answer.status_code == 302
    election = Election.objects.get(title="Bầu Ban Chấp hành khoá XIX")
    assert client.post(f"/elections/{election.pk}/", {"method": "paper"}).status_code == 302
    round = election.rounds.get()
    client.post(f"/elections/rounds/{round.pk}/do/open/")
    ballots = client.get(f"/elections/rounds/{round.pk}/ballots.pdf")
    assert b"".join(ballots.streaming_content).startswith(b"%PDF-")
    assert round.paper_ballots.count() == 7


def test_another_units_organiser_is_refused(client, setup):
    round = open_round(setup, make_election(setup), "electronic")
    client.force_login(setup.other_organiser)
    assert client.get(f"/elections/rounds/{round.pk}/").status_code in (403, 404)
    assert client.post(f"/elections/rounds/{round.pk}/do/close/").status_code in (403, 404)


def test_show_of_hands_takes_the_quorum_from_attendance(client, setup):
    motion = services.motion_create(
        congress=setup.congress,
        session=setup.opening,
        title="Thông qua Nghị quyết",
        by=setup.organiser,
    )
    client.force_login(setup.organiser)
    too_many = client.post(
        f"/elections/motions/{motion.pk}/", {"votes_for": 9, "votes_against": 0, "votes_abstain": 0}
    )
    assert too_many.status_code == 200 and too_many.context["form"].errors
    client.post(
        f"/elections/motions/{motion.pk}/", {"votes_for": 4, "votes_against": 1, "votes_abstain": 1}
    )
    motion = Motion.objects.get(pk=motion.pk)
    assert motion.present == 6 and motion.passed
    page = client.get(f"/d/{token_of(setup.elected[0])}/votes/")
    assert list(page.context["motions"]) == []
    client.post(f"/elections/motions/{motion.pk}/", {"release": "1"})
    page = client.get(f"/d/{token_of(setup.elected[0])}/votes/")
    assert [m.title for m in page.context["motions"]] == ["Thông qua Nghị quyết"]


def test_the_delegate_page_links_to_the_votes(client, setup):
    token = token_of(setup.elected[0])
    page = client.get(f"/d/{token}").content.decode()
    assert f'href="/d/{token}/votes"' in page


def test_release_tells_listeners_the_result_after_commit(setup, django_capture_on_commit_callbacks):
    heard = []

    def listener(sender, round, result, by, **kwargs):
        heard.append((round.pk, result.valid, by))

    signals.results_released.connect(listener)
    try:
        round = open_round(setup, make_election(setup), "electronic")
        services.vote_cast(round=round, delegate=setup.elected[0], kept=[])
        services.round_close(round=round, by=setup.organiser)
        with django_capture_on_commit_callbacks(execute=True):
            services.round_release(round=round, by=setup.organiser)
    finally:
        signals.results_released.disconnect(listener)
    assert heard == [(round.pk, 1, setup.organiser)]
