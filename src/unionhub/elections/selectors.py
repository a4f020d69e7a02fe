"""Reads of elections, rounds, ballots and motions. Officers' reads are scoped through
core.scope (the congress organiser role at the congress's unit); a delegate's reads go through
congress's card-token check."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TypeVar

from django.db.models import Count, Model, QuerySet
from django.utils.translation import gettext as _

from unionhub.congress import selectors as congress_selectors
from unionhub.congress.models import OFFICIAL_CATEGORIES, Congress, Delegate, Session
from unionhub.core import scope, signing
from unionhub.core.errors import DomainError, OutOfScope
from unionhub.core.types import AnyUser, User
from unionhub.elections import counting, tokens
from unionhub.elections.models import (
    Choice,
    Election,
    ElectronicBallot,
    Method,
    Motion,
    MotionMethod,
    MotionState,
    MotionVote,
    PaperBallot,
    Round,
    RoundState,
    VoteCast,
)

_M = TypeVar("_M", bound=Model)
ORGANISER = scope.CONGRESS_ORGANISER
VIA = "congress__unit"


def _one(qs: QuerySet[_M], pk: int) -> _M:
    row = qs.filter(pk=pk).first()
    if row is None:
        raise OutOfScope()
    return row


# AnyUser: the API's viewset lists it, also when drawing the schema for an anonymous reader.
def election_list(*, user: AnyUser, congress: Congress | None = None) -> QuerySet[Election]:
    qs = scope.restrict(Election.objects.all(), user, role=ORGANISER, via=VIA)
    if congress is not None:
        qs = qs.filter(congress=congress)
    return qs.select_related("congress__unit", "session")


def election_get(*, user: User, pk: int) -> Election:
    return _one(election_list(user=user), pk)


def round_get(*, user: User, pk: int) -> Round:
    qs = scope.restrict(Round.objects.all(), user, role=ORGANISER, via=f"election__{VIA}")
    return _one(qs.select_related("election__congress__unit", "election__session"), pk)


def paper_ballot_get(*, user: User, pk: int) -> PaperBallot:
    qs = scope.restrict(
        PaperBallot.objects.all(), user, role=ORGANISER, via=f"round__election__{VIA}"
    )
    return _one(qs.select_related("round__election__congress__unit"), pk)


# AnyUser: the API's viewset lists it, also when drawing the schema for an anonymous reader.
def motion_list(*, user: AnyUser, congress: Congress | None = None) -> QuerySet[Motion]:
    qs = scope.restrict(Motion.objects.all(), user, role=ORGANISER, via=VIA)
    if congress is not None:
        qs = qs.filter(congress=congress)
    return qs.select_related("congress__unit", "session")


def motion_get(*, user: User, pk: int) -> Motion:
    return _one(motion_list(user=user), pk)


# Eligibility ------------------------------------------------------------------------------


def eligible_delegates(*, session: Session) -> QuerySet[Delegate]:
    """Who may vote in `session`: official delegates (elected, ex officio) whose current card is
    not revoked and who checked in to the session (congress attendance)."""
    return Delegate.objects.filter(
        congress_id=session.congress_id,
        category__in=OFFICIAL_CATEGORIES,
        revoked=False,
        checkins__session=session,
    )


def is_eligible(*, delegate: Delegate, session: Session) -> bool:
    return eligible_delegates(session=session).filter(pk=delegate.pk).exists()


def has_voted(*, round: Round, delegate: Delegate) -> bool:
    return VoteCast.objects.filter(round=round, delegate=delegate).exists()


def turnout(*, round: Round) -> int:
    """Ballots cast so far (electronic) or entered (paper)."""
    if round.method == Method.ELECTRONIC:
        return VoteCast.objects.filter(round=round).count()
    return PaperBallot.objects.filter(round=round, entries__isnull=False).distinct().count()


# Paper ballots: double entry --------------------------------------------------------------


class EntryStatus:
    MISSING = "missing"  # no entry: the ballot was not returned or not yet read
    SINGLE = "single"  # one entry only
    AGREED = "agreed"
    DISAGREED = "disagreed"
    RESOLVED = "resolved"
    BLOCKING = (SINGLE, DISAGREED)


@dataclass(frozen=True)
class PaperLine:
    ballot: PaperBallot
    status: str
    first: tuple[bool, frozenset[int]] | None
    second: tuple[bool, frozenset[int]] | None

    @property
    def final(self) -> counting.Ballot | None:
        if self.status == EntryStatus.RESOLVED:
            return counting.Ballot(
                bool(self.ballot.resolved_official), frozenset(self.ballot.resolved_kept or ())
            )
        if self.status == EntryStatus.AGREED and self.first is not None:
            return counting.Ballot(*self.first)
        return None


def paper_ballot_find(*, round: Round, text: str) -> PaperBallot:
    """The ballot of `round` a counter typed (its serial) or scanned (its signed QR code).
    A code that does not verify, or one of another round, is refused: not an official ballot."""
    text = text.strip()
    if text.isdigit():
        ballot = round.paper_ballots.filter(serial=int(text)).first()
        if ballot is None:
            raise DomainError("no_such_serial", _("No ballot has this serial."), field="serial")
        return ballot
    try:
        claim = tokens.ballot_claim(text)
    except (signing.BadToken, ValueError) as error:
        raise DomainError(
            "ballot_code_forged",
            _("This code is not the QR of an official ballot: set the ballot aside as invalid."),
            field="serial",
        ) from error
    ballot = round.paper_ballots.filter(serial=claim.serial).first()
    if claim.round_id != round.pk or ballot is None:
        raise DomainError(
            "ballot_other_round",
            _("This ballot belongs to another round or election."),
            field="serial",
        )
    return ballot


def paper_lines(*, round: Round) -> list[PaperLine]:
    """Every printed ballot of the round with the state of its two entries."""
    lines = []
    for ballot in PaperBallot.objects.filter(round=round).prefetch_related("entries"):
        readings = {e.entry: (e.official, frozenset(e.kept)) for e in ballot.entries.all()}
        first, second = readings.get(1), readings.get(2)
        if ballot.resolved_by_id is not None:
            status = EntryStatus.RESOLVED
        elif first is None and second is None:
            status = EntryStatus.MISSING
        elif first is None or second is None:
            status = EntryStatus.SINGLE
        elif first == second:
            status = EntryStatus.AGREED
        else:
            status = EntryStatus.DISAGREED
        lines.append(PaperLine(ballot, status, first, second))
    return lines


def paper_blockers(*, round: Round) -> list[PaperLine]:
    """Ballots that stop the release: one entry only, or two that disagree unresolved."""
    return [line for line in paper_lines(round=round) if line.status in EntryStatus.BLOCKING]


# Counting -------------------------------------------------------------------------------------


def round_ballots(*, round: Round) -> list[counting.Ballot]:
    if round.method == Method.ELECTRONIC:
        return [
            counting.Ballot(True, frozenset(kept))
            for kept in ElectronicBallot.objects.filter(round=round).values_list("kept", flat=True)
        ]
    return [line.final for line in paper_lines(round=round) if line.final is not None]


def round_candidate_ids(*, round: Round) -> list[int]:
    return list(round.candidates.order_by("sort_key", "id").values_list("pk", flat=True))


def round_result(*, round: Round) -> counting.Result:
    election = round.election
    return counting.count(
        candidates=round_candidate_ids(round=round),
        ballots=round_ballots(round=round),
        rules=counting.Rules(seats=round.seats, threshold=election.threshold),
    )


@dataclass(frozen=True)
class ResultLine:
    name: str
    votes: int
    share: float
    elected: bool
    tied: bool


@dataclass(frozen=True)
class RoundReport:
    round: Round
    result: counting.Result
    lines: list[ResultLine]

    @property
    def issued(self) -> int:
        return self.round.eligible


def round_report(*, round: Round) -> RoundReport:
    result = round_result(round=round)
    names = dict(round.candidates.values_list("pk", "full_name"))
    order = sorted(result.votes, key=lambda c: (-result.votes[c], names[c]))
    lines = [
        ResultLine(
            names[c],
            result.votes[c],
            100 * result.votes[c] / result.valid if result.valid else 0.0,
            c in result.elected,
            c in result.tied,
        )
        for c in order
    ]
    return RoundReport(round, result, lines)


def released_report(*, user: User, round: Round) -> RoundReport | None:
    """The report for exports: only once the presidium released it."""
    scope.require(user, ORGANISER, round.election.congress.unit)
    return round_report(round=round) if round.state == RoundState.RELEASED else None


# The delegate's phone ---------------------------------------------------------------------


def delegate_by_token(token: str) -> Delegate:
    return congress_selectors.delegate_by_token(token)


def delegate_rounds(*, delegate: Delegate) -> QuerySet[Round]:
    return (
        Round.objects.filter(election__congress_id=delegate.congress_id)
        .select_related("election__session")
        .order_by("election__created", "election_id", "number")
    )


def delegate_open_round(*, delegate: Delegate, pk: int) -> Round:
    round = delegate_rounds(delegate=delegate).filter(pk=pk).first()
    if round is None:
        raise OutOfScope()
    return round


def delegate_released_reports(*, delegate: Delegate) -> list[RoundReport]:
    """Released results only: before release a delegate sees nothing of the count."""
    rounds = delegate_rounds(delegate=delegate).filter(state=RoundState.RELEASED)
    return [round_report(round=r) for r in rounds]


def delegate_released_motions(*, delegate: Delegate) -> QuerySet[Motion]:
    return Motion.objects.filter(congress_id=delegate.congress_id, state=MotionState.RELEASED)


def delegate_open_motions(*, delegate: Delegate) -> QuerySet[Motion]:
    """Motions of the delegate's congress now voted on the phones (open, not yet counted)."""
    return Motion.objects.filter(
        congress_id=delegate.congress_id,
        method=MotionMethod.PHONES,
        state=MotionState.OPEN,
        present=0,
    ).select_related("session")


def delegate_open_motion(*, delegate: Delegate, pk: int) -> Motion:
    return _one(delegate_open_motions(delegate=delegate), pk)


def motion_choice_of(*, motion: Motion, delegate: Delegate) -> str | None:
    return (
        MotionVote.objects.filter(motion=motion, delegate=delegate)
        .values_list("choice", flat=True)
        .first()
    )


def motion_phone_tally(*, motion: Motion) -> dict[str, int]:
    """The phones' votes on `motion` so far, by choice (every choice present, zero or not)."""
    counts = dict(
        MotionVote.objects.filter(motion=motion)
        .values_list("choice")
        .annotate(n=Count("id"))
        .values_list("choice", "n")
    )
    return {choice: counts.get(choice, 0) for choice in Choice.values}


def receipt_hash(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


def receipt_counted(*, delegate: Delegate, code: str) -> bool:
    """Was a ballot with this receipt counted in one of the delegate's congress's rounds?"""
    return ElectronicBallot.objects.filter(
        round__election__congress_id=delegate.congress_id, receipt_hash=receipt_hash(code)
    ).exists()
