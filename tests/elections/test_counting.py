"""The count of a strike-out round against an independent recount written another way."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from unionhub.elections.counting import Ballot, Rules, count


def recount(candidates, ballots, seats, threshold):
    """Tally by hand, the way a counting committee does: sort the valid pile, then walk the
    candidates by votes, stopping at the seat line."""
    valid_pile = [
        b
        for b in ballots
        if b.official and len(b.kept) <= seats and all(k in candidates for k in b.kept)
    ]
    tally = {c: sum(1 for b in valid_pile if c in b.kept) for c in candidates}
    # "More than threshold" in integers: votes * den > valid * num.
    over = [
        c
        for c in candidates
        if tally[c] * threshold.denominator > len(valid_pile) * threshold.numerator
    ]
    distinct_counts = sorted({tally[c] for c in over}, reverse=True)
    elected, tied = [], []
    for level in distinct_counts:
        group = [c for c in over if tally[c] == level]
        if len(elected) + len(group) <= seats:
            elected += group
        else:
            if len(elected) < seats:
                tied = group
            break
    return len(valid_pile), len(ballots) - len(valid_pile), tally, set(elected), set(tied)


candidate_lists = st.lists(st.integers(1, 40), min_size=1, max_size=9, unique=True)


@st.composite
def elections(draw):
    candidates = draw(candidate_lists)
    seats = draw(st.integers(1, len(candidates)))
    threshold = draw(st.sampled_from([Fraction(1, 2), Fraction(2, 3), Fraction(1, 3)]))
    # Ballots mostly keep names of the list; a few are unofficial, keep too many or a stranger.
    ballot = st.builds(
        Ballot,
        official=st.booleans() | st.just(True),
        kept=st.frozensets(
            st.sampled_from([*candidates, 99])
            if draw(st.booleans())
            else st.sampled_from(candidates),
            max_size=len(candidates) + 1,
        ),
    )
    ballots = draw(st.lists(ballot, max_size=60))
    return candidates, seats, threshold, ballots


@settings(max_examples=400, deadline=None)
@given(elections())
def test_count_equals_an_independent_recount(case):
    candidates, seats, threshold, ballots = case
    result = count(
        candidates=candidates, ballots=ballots, rules=Rules(seats=seats, threshold=threshold)
    )
    valid, invalid, tally, elected, tied = recount(candidates, ballots, seats, threshold)
    assert (result.valid, result.invalid) == (valid, invalid)
    assert result.votes == tally
    assert set(result.elected) == elected
    assert set(result.tied) == tied
    assert len(result.elected) + result.tied_seats + result.open_seats == seats
    assert result.tied_seats < len(result.tied) or not result.tied


def test_exactly_half_is_not_elected():
    ballots = [Ballot(True, frozenset({1})), Ballot(True, frozenset({2}))]
    result = count(candidates=[1, 2], ballots=ballots, rules=Rules(seats=1))
    assert result.elected == () and result.open_seats == 1


def test_a_ballot_keeping_more_names_than_seats_is_invalid():
    ballots = [
        Ballot(True, frozenset({1, 2})),
        Ballot(True, frozenset({1})),
        Ballot(False, frozenset({1})),
    ]
    result = count(candidates=[1, 2, 3], ballots=ballots, rules=Rules(seats=1))
    assert (result.valid, result.invalid) == (1, 2)
    assert result.invalid_reasons == {"too_many": 1, "not_official": 1}
    assert result.elected == (1,)


def test_most_votes_win_when_more_qualify_than_seats():
    ballots = [Ballot(True, frozenset(k)) for k in ({1, 2}, {1, 2}, {1, 3}, {2, 3}, {1, 3})]
    result = count(candidates=[1, 2, 3], ballots=ballots, rules=Rules(seats=2))
    assert result.votes == {1: 4, 2: 3, 3: 3}
    assert result.elected == (1,) and set(result.tied) == {2, 3} and result.tied_seats == 1


def test_an_empty_ballot_is_valid_and_raises_the_bar():
    ballots = [Ballot(True, frozenset({1})), Ballot(True, frozenset())]
    result = count(candidates=[1], ballots=ballots, rules=Rules(seats=1))
    assert result.valid == 2 and result.elected == ()
