"""Paper strike-out ballots entered twice by two counters; no release while any ballot has a
single entry or an unresolved disagreement; further rounds among the tied."""

from __future__ import annotations

import random

import pytest

from tests import world
from tests.elections.helpers import candidate_ids, make_election, open_round
from unionhub.core import scope
from unionhub.core.errors import DomainError
from unionhub.elections import selectors, services
from unionhub.elections.models import PaperBallot, RoundState
from unionhub.elections.selectors import EntryStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def counters(setup, tree):
    second = world.make_officer(tree, tree.province, scope.CONGRESS_ORGANISER)
    return setup.organiser, second


def enter_both(ballot, kept, counters, official=True):
    for entry, counter in enumerate(counters, start=1):
        services.paper_entry_record(
            ballot=ballot, entry=entry, official=official, kept=kept, by=counter
        )


def test_one_ballot_per_eligible_voter_is_printed(setup):
    round = open_round(setup, make_election(setup), "paper")
    assert list(PaperBallot.objects.filter(round=round).values_list("serial", flat=True)) == list(
        range(1, 8)
    )


def test_agreed_entries_count_and_release_sets_the_elected(setup, counters):
    round = open_round(setup, make_election(setup), "paper")
    ids = candidate_ids(round)
    hoa, khanh, lan = ids["Nguyễn Thị Hoa"], ids["Trần Văn Khánh"], ids["Lê Thị Lan"]
    piles = [[hoa, khanh]] * 4 + [[hoa, lan]] * 2 + [[hoa, khanh, lan]]  # the last keeps too many
    for ballot, kept in zip(PaperBallot.objects.filter(round=round), piles, strict=True):
        enter_both(ballot, kept, counters)
    services.round_close(round=round, by=setup.organiser)
    services.round_release(round=round, by=setup.organiser)
    round.refresh_from_db()
    report = selectors.round_report(round=round)
    assert (report.result.valid, report.result.invalid) == (6, 1)
    assert set(round.elected.values_list("pk", flat=True)) == {hoa, khanh}
    assert round.state == RoundState.RELEASED


def test_the_same_counter_cannot_make_both_entries(setup):
    round = open_round(setup, make_election(setup), "paper")
    ballot = PaperBallot.objects.filter(round=round).first()
    services.paper_entry_record(ballot=ballot, entry=1, official=True, kept=[], by=setup.organiser)
    with pytest.raises(DomainError) as refused:
        services.paper_entry_record(
            ballot=ballot, entry=2, official=True, kept=[], by=setup.organiser
        )
    assert refused.value.code == "same_counter"


# Every kind of slip, by either counter, on a first, middle and last ballot.
@pytest.mark.parametrize("mistake", ["drop", "add", "unofficial", "missing"])
@pytest.mark.parametrize(("serial", "which"), [(1, 2), (4, 1), (7, 2)])
def test_any_single_entry_mistake_is_caught_before_release(setup, counters, serial, which, mistake):
    round = open_round(setup, make_election(setup), "paper")
    ids = list(candidate_ids(round).values())
    chooser = random.Random(serial * 10 + which)
    truth = {
        b.serial: sorted(chooser.sample(ids, chooser.randint(0, 2)))
        for b in PaperBallot.objects.filter(round=round)
    }
    for ballot in PaperBallot.objects.filter(round=round):
        for entry, counter in enumerate(counters, start=1):
            kept, official = list(truth[ballot.serial]), True
            if (ballot.serial, entry) == (serial, which):
                if mistake == "missing":
                    continue
                if mistake == "drop" and kept:
                    kept = kept[1:]
                elif mistake in ("drop", "add"):
                    kept = sorted(set(kept) ^ {ids[0]})
                else:
                    official = False
            services.paper_entry_record(
                ballot=ballot, entry=entry, official=official, kept=kept, by=counter
            )
    services.round_close(round=round, by=setup.organiser)
    blockers = selectors.paper_blockers(round=round)
    assert [line.ballot.serial for line in blockers] == [serial]
    assert blockers[0].status in (EntryStatus.SINGLE, EntryStatus.DISAGREED)
    with pytest.raises(DomainError) as refused:
        services.round_release(round=round, by=setup.organiser)
    assert refused.value.code == "entries_incomplete"
    round.refresh_from_db()
    assert round.state == RoundState.CLOSED
    # The committee reads the paper and decides; then the release goes through.
    services.paper_ballot_resolve(
        ballot=blockers[0].ballot, official=True, kept=truth[serial], by=setup.organiser
    )
    services.round_release(round=round, by=setup.organiser)
    assert selectors.round_result(round=round).valid == 7


def test_a_tie_for_the_last_seat_prepares_a_round_among_the_tied(setup, counters):
    election = make_election(setup, seats=1)
    round = open_round(setup, election, "paper")
    ids = candidate_ids(round)
    hoa, khanh = ids["Nguyễn Thị Hoa"], ids["Trần Văn Khánh"]
    piles = [[hoa]] * 2 + [[khanh]] * 2 + [[]] * 3
    for ballot, kept in zip(PaperBallot.objects.filter(round=round), piles, strict=True):
        enter_both(ballot, kept, counters)
    services.round_close(round=round, by=setup.organiser)
    services.round_release(round=round, by=setup.organiser)
    # Nobody has more than half: the seat stays open and the further round takes everyone.
    nxt = services.round_prepare(election=election, method="electronic", by=setup.organiser)
    assert nxt.number == 2 and nxt.seats == 1
    assert set(nxt.candidates.values_list("pk", flat=True)) == set(ids.values())


def test_a_tie_among_qualifying_candidates_goes_to_a_further_round(setup, counters):
    election = make_election(setup, seats=1)
    round = open_round(setup, election, "paper")
    ids = candidate_ids(round)
    hoa, khanh = ids["Nguyễn Thị Hoa"], ids["Trần Văn Khánh"]
    # Seat 1, so a ballot keeps one name at most: make two qualify with a threshold of 1/3.
    election.threshold_numerator, election.threshold_denominator = 1, 3
    election.save()
    piles = [[hoa]] * 3 + [[khanh]] * 3 + [[]]
    for ballot, kept in zip(PaperBallot.objects.filter(round=round), piles, strict=True):
        enter_both(ballot, kept, counters)
    services.round_close(round=round, by=setup.organiser)
    services.round_release(round=round, by=setup.organiser)
    nxt = services.round_prepare(election=election, method="paper", by=setup.organiser)
    assert set(nxt.candidates.values_list("pk", flat=True)) == {hoa, khanh}
    assert nxt.seats == 1


def test_the_round_page_lists_disagreements_ballot_by_ballot(client, setup, counters):
    round = open_round(setup, make_election(setup), "paper")
    first, second = list(PaperBallot.objects.filter(round=round))[:2]
    hoa = candidate_ids(round)["Nguyễn Thị Hoa"]
    services.paper_entry_record(ballot=first, entry=1, official=True, kept=[hoa], by=counters[0])
    services.paper_entry_record(ballot=first, entry=2, official=True, kept=[], by=counters[1])
    services.paper_entry_record(ballot=second, entry=1, official=True, kept=[], by=counters[0])
    client.force_login(setup.organiser)
    page = client.get(f"/elections/rounds/{round.pk}/")
    assert [(line.ballot.serial, line.status) for line in page.context["blockers"]] == [
        (1, EntryStatus.DISAGREED),
        (2, EntryStatus.SINGLE),
    ]
    assert "Hai lượt nhập không khớp" in page.content.decode()
    resolve = client.post(
        f"/elections/ballots/{first.pk}/?resolve=1", {"official": "on", "kept": [hoa]}
    )
    assert resolve.status_code == 302
    first.refresh_from_db()
    assert first.resolved_kept == [hoa] and first.resolved_by == setup.organiser
