"""The jury's arithmetic against the stated rule, for random sheets, ties included."""

from __future__ import annotations

import itertools
import statistics
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from unionhub.movements import scoring

totals = st.lists(st.fractions(min_value=0, max_value=1000, max_denominator=100), max_size=9)
# Few distinct values, so equal scores (ties) come up often.
scores_maps = st.dictionaries(
    st.integers(1, 10_000),
    st.one_of(st.none(), st.sampled_from([Fraction(n, 2) for n in range(8)])),
)


@given(totals)
def test_mean_and_median_are_the_textbook_ones(values):
    if not values:
        assert scoring.combine(values, scoring.MEAN) is None
        assert scoring.combine(values, scoring.MEDIAN) is None
        return
    assert scoring.combine(values, scoring.MEAN) == sum(values) / len(values)
    assert scoring.combine(values, scoring.MEDIAN) == statistics.median(values)


@given(totals)
def test_trimmed_mean_drops_one_highest_and_one_lowest_from_three_jurors(values):
    result = scoring.combine(values, scoring.TRIMMED_MEAN)
    if not values:
        assert result is None
    elif len(values) < 3:
        assert result == sum(values) / len(values)
    else:
        kept = sorted(values)[1:-1]
        assert result == sum(kept) / len(kept)
        assert min(values) <= result <= max(values)


@given(totals, st.permutations(range(9)))
def test_the_order_of_the_jurors_does_not_matter(values, order):
    shuffled = [values[i] for i in order if i < len(values)]
    for rule in (scoring.MEAN, scoring.TRIMMED_MEAN, scoring.MEDIAN):
        assert scoring.combine(shuffled, rule) == scoring.combine(values, rule)


@given(scores_maps)
def test_ranking_follows_the_scores_and_ties_share_a_rank(scores):
    ranked = scoring.rank(scores)
    assert {r.entry for r in ranked} == {e for e, s in scores.items() if s is not None}
    for place, row in enumerate(ranked, start=1):
        better = sum(1 for s in scores.values() if s is not None and s > row.score)
        assert row.rank == better + 1  # "1, 2, 2, 4": a rank is one more than those above
        assert row.rank <= place
    for first, second in itertools.pairwise(ranked):
        assert first.score >= second.score
        if first.score == second.score:
            assert first.rank == second.rank and first.entry < second.entry
        else:
            assert second.rank > first.rank


def test_ties_worked_example():
    ranked = scoring.rank({1: Fraction(80), 2: Fraction(90), 3: Fraction(80), 4: Fraction(70)})
    assert [(r.entry, r.rank) for r in ranked] == [(2, 1), (1, 2), (3, 2), (4, 4)]


@given(
    st.dictionaries(st.integers(1, 5), st.decimals(0, 100, places=2, allow_nan=False), min_size=1),
    st.data(),
)
def test_a_juror_total_counts_only_a_complete_sheet(weights_raw, data):
    weights = {c: Decimal(1) + (w % 3) for c, w in weights_raw.items()}
    points = {c: data.draw(st.decimals(0, 100, places=2, allow_nan=False)) for c in weights}
    total = scoring.juror_total(points, weights)
    assert total == sum(Fraction(points[c]) * Fraction(weights[c]) for c in weights)
    missing = dict(points)
    missing.pop(next(iter(weights)))
    assert scoring.juror_total(missing, weights) is None


def test_display_rounds_half_up():
    assert scoring.as_decimal(Fraction(1, 8)) == Decimal("0.13")
    assert scoring.as_decimal(Fraction(200, 3)) == Decimal("66.67")
