"""The jury's arithmetic, pure (no database): a juror's total for an entry, the entry's score
from its jurors' totals by the campaign's rule, and the ranking.

Stated rules:
- A juror's total is the sum over the criteria of points × the criterion's weight; it counts only
  when the juror has scored every criterion of the entry (a half-scored sheet is not a verdict).
- MEAN: the mean of the counted totals. MEDIAN: the middle total, or the mean of the two middle
  ones. TRIMMED_MEAN: the highest and the lowest total are dropped (one each) when at least three
  jurors count, then the mean; with fewer it is the plain mean.
- An entry with no counted total has no score and is not ranked.
- Ranking: higher score first; equal scores share the best rank of their group and the next
  rank skips the places they took ("1, 2, 2, 4"); among equals the entries are listed by id.
Everything is computed in exact fractions so that equal scores are equal, never 0.1 apart.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TypeVar

K = TypeVar("K", bound=Hashable)

MEAN = "mean"
TRIMMED_MEAN = "trimmed_mean"
MEDIAN = "median"


def juror_total(points: Mapping[K, Decimal], weights: Mapping[K, Decimal]) -> Fraction | None:
    """The weighted total of one juror's sheet, None unless every criterion is scored."""
    if not weights or any(criterion not in points for criterion in weights):
        return None
    return sum(
        (Fraction(points[c]) * Fraction(weight) for c, weight in weights.items()), Fraction(0)
    )


def combine(totals: Sequence[Fraction], rule: str) -> Fraction | None:
    """The entry's score from its jurors' counted totals by `rule`; None without any total."""
    if not totals:
        return None
    ordered = sorted(totals)
    if rule == MEAN:
        return sum(ordered, Fraction(0)) / len(ordered)
    if rule == TRIMMED_MEAN:
        kept = ordered[1:-1] if len(ordered) >= 3 else ordered
        return sum(kept, Fraction(0)) / len(kept)
    if rule == MEDIAN:
        middle = len(ordered) // 2
        if len(ordered) % 2:
            return ordered[middle]
        return (ordered[middle - 1] + ordered[middle]) / 2
    raise ValueError(rule)


@dataclass(frozen=True)
class Ranked:
    entry: int
    score: Fraction
    rank: int


def rank(scores: Mapping[int, Fraction | None]) -> list[Ranked]:
    """Entries with a score, best first; ties share a rank and the next rank skips (1, 2, 2, 4)."""
    scored = sorted(
        ((entry, score) for entry, score in scores.items() if score is not None),
        key=lambda pair: (-pair[1], pair[0]),
    )
    ranked: list[Ranked] = []
    for place, (entry, score) in enumerate(scored, start=1):
        shared = ranked[-1].rank if ranked and ranked[-1].score == score else place
        ranked.append(Ranked(entry, score, shared))
    return ranked


def as_decimal(score: Fraction, places: int = 2) -> Decimal:
    """A score for display, rounded half up to `places`."""
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(score.numerator) / Decimal(score.denominator)).quantize(
        quantum, rounding=ROUND_HALF_UP
    )
