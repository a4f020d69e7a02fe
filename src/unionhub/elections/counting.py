"""Counting a round of a strike-out election: pure arithmetic, no database.

The rules (DESIGN §2, issue #20), all taken from `Rules` so that each congress may set its own:
- a ballot is invalid if it is not an official ballot, keeps more names than there are seats,
  or keeps a name that is not on this round's list;
- a ballot keeping no name is valid (the voter struck out everyone);
- a candidate qualifies with more than `threshold` of the valid ballots (strictly more: "quá
  nửa" is more than half, never exactly half);
- more qualifying candidates than seats: the most votes win; a tie across the last seat sends
  the tied candidates to a further round for the seats left;
- fewer elected than seats: the seats stay open (`open_seats`); whether a further round is held
  is the congress's decision, recorded on the election.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction


@dataclass(frozen=True)
class Ballot:
    official: bool
    kept: frozenset[int]


@dataclass(frozen=True)
class Rules:
    seats: int
    threshold: Fraction = Fraction(1, 2)


@dataclass(frozen=True)
class Result:
    valid: int
    invalid: int
    votes: dict[int, int]
    elected: tuple[int, ...]
    tied: tuple[int, ...] = ()
    tied_seats: int = 0
    open_seats: int = 0
    invalid_reasons: dict[str, int] = field(default_factory=dict)

    @property
    def needs_tie_round(self) -> bool:
        return bool(self.tied)


NOT_OFFICIAL = "not_official"
TOO_MANY = "too_many"
UNKNOWN_NAME = "unknown_name"


def invalid_reason(ballot: Ballot, *, candidates: frozenset[int], seats: int) -> str | None:
    if not ballot.official:
        return NOT_OFFICIAL
    if len(ballot.kept) > seats:
        return TOO_MANY
    if not ballot.kept <= candidates:
        return UNKNOWN_NAME
    return None


def count(*, candidates: Sequence[int], ballots: Iterable[Ballot], rules: Rules) -> Result:
    """The result of one round: `candidates` are the names on this round's ballot."""
    names = frozenset(candidates)
    votes = dict.fromkeys(candidates, 0)
    valid = invalid = 0
    reasons: dict[str, int] = {}
    for ballot in ballots:
        reason = invalid_reason(ballot, candidates=names, seats=rules.seats)
        if reason:
            invalid += 1
            reasons[reason] = reasons.get(reason, 0) + 1
            continue
        valid += 1
        for name in ballot.kept:
            votes[name] += 1
    qualifying = sorted(
        (c for c in candidates if votes[c] > rules.threshold * valid),
        key=lambda c: -votes[c],
    )
    elected: list[int] = qualifying
    tied: list[int] = []
    if len(qualifying) > rules.seats:
        last = votes[qualifying[rules.seats - 1]]
        above = [c for c in qualifying if votes[c] > last]
        at_last = [c for c in qualifying if votes[c] == last]
        if len(above) + len(at_last) == rules.seats:
            elected = above + at_last
        else:
            elected, tied = above, at_last
    tied_seats = rules.seats - len(elected) if tied else 0
    return Result(
        valid=valid,
        invalid=invalid,
        votes=votes,
        elected=tuple(elected),
        tied=tuple(tied),
        tied_seats=tied_seats,
        open_seats=rules.seats - len(elected) - tied_seats,
        invalid_reasons=reasons,
    )
