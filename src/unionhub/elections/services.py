"""Every change to elections, rounds, ballots and motions. Keyword-only, atomic, audited (except
the electronic vote itself: see the package docstring), scoped to the congress organiser role at
the congress's unit."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence

from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from unionhub.audit.services import log
from unionhub.congress import selectors as congress_selectors
from unionhub.congress.models import Congress, Delegate, Session
from unionhub.core import scope
from unionhub.core.errors import DomainError
from unionhub.core.text import nfc
from unionhub.core.types import User
from unionhub.elections import selectors, signals
from unionhub.elections.actions import Action
from unionhub.elections.models import (
    Candidate,
    Choice,
    Election,
    ElectronicBallot,
    Method,
    Motion,
    MotionMethod,
    MotionState,
    MotionVote,
    PaperBallot,
    PaperEntry,
    Round,
    RoundState,
    TooFew,
    VoteCast,
)

ORGANISER = scope.CONGRESS_ORGANISER
# Receipt codes: 10 characters of an alphabet without look-alikes (0/O, 1/I), ~50 bits.
RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
RECEIPT_LENGTH = 10


def _require(by: User, congress: Congress) -> None:
    scope.require(by, ORGANISER, congress.unit)


def _locked(round: Round) -> Round:
    return (
        Round.objects.select_for_update()
        .select_related("election__congress__unit")
        .get(pk=round.pk)
    )


# Elections and rounds ---------------------------------------------------------------------


@transaction.atomic
def election_create(
    *,
    congress: Congress,
    session: Session,
    body: str,
    title: str,
    seats: int,
    candidates: Sequence[str],
    by: User,
    threshold_numerator: int = 1,
    threshold_denominator: int = 2,
    too_few: str = TooFew.FURTHER_ROUND,
) -> Election:
    _require(by, congress)
    if session.congress_id != congress.pk:
        raise DomainError("session_other_congress", _("The session belongs to another congress."))
    names = [nfc(n).strip() for n in candidates if n.strip()]
    if len(names) < seats:
        raise DomainError(
            "too_few_candidates", _("The list needs at least as many candidates as seats.")
        )
    if not 0 < threshold_numerator < threshold_denominator:
        raise DomainError("bad_threshold", _("The threshold must be a fraction below one."))
    election = Election.objects.create(
        congress=congress,
        session=session,
        body=body,
        title=nfc(title),
        seats=seats,
        threshold_numerator=threshold_numerator,
        threshold_denominator=threshold_denominator,
        too_few=too_few,
    )
    for name in names:
        Candidate(election=election, full_name=name).save()
    log(by, Action.ELECTION_CREATED, election, {"seats": seats, "candidates": len(names)})
    return election


@transaction.atomic
def round_prepare(*, election: Election, method: str, by: User) -> Round:
    """The next round: the first with every candidate, or a further one as the last released
    round's result says (the tied for the seats they tie on, or the open seats when the
    election holds further rounds)."""
    _require(by, election.congress)
    previous = election.rounds.order_by("-number").first()
    if previous is None:
        candidates = list(election.candidates.all())
        seats = election.seats
    else:
        if previous.state != RoundState.RELEASED:
            raise DomainError(
                "round_not_released", _("Release the last round before preparing another.")
            )
        result = selectors.round_result(round=previous)
        if result.tied:
            candidates = list(Candidate.objects.filter(pk__in=result.tied))
            seats = result.tied_seats
        elif result.open_seats and election.too_few == TooFew.FURTHER_ROUND:
            elected = set(
                Candidate.objects.filter(elected_in__election=election).values_list("pk", flat=True)
            )
            candidates = list(previous.candidates.exclude(pk__in=elected))
            seats = result.open_seats
        else:
            raise DomainError("no_further_round", _("This election needs no further round."))
    round = Round.objects.create(
        election=election,
        number=(previous.number + 1) if previous else 1,
        method=method,
        seats=seats,
    )
    round.candidates.set(candidates)
    log(by, Action.ROUND_PREPARED, round, {"seats": seats, "candidates": len(candidates)})
    return round


@transaction.atomic
def round_open(*, round: Round, by: User) -> Round:
    round = _locked(round)
    _require(by, round.election.congress)
    if round.state != RoundState.PREPARED:
        raise DomainError("round_not_prepared", _("This round has already been opened."))
    if round.election.rounds.filter(state__in=[RoundState.OPEN, RoundState.CLOSED]).exists():
        raise DomainError("round_busy", _("Another round of this election is still open."))
    round.eligible = selectors.eligible_delegates(session=round.election.session).count()
    if round.eligible == 0:
        raise DomainError("nobody_eligible", _("No delegate has checked in to the session."))
    round.state = RoundState.OPEN
    round.opened = timezone.now()
    round.save(update_fields=["eligible", "state", "opened"])
    if round.method == Method.PAPER:
        # One printed ballot per eligible voter, numbered from 1 within the round.
        PaperBallot.objects.bulk_create(
            PaperBallot(round=round, serial=n) for n in range(1, round.eligible + 1)
        )
    log(by, Action.ROUND_OPENED, round, {"eligible": round.eligible, "method": round.method})
    return round


def _shuffle_secret_rows(round: Round) -> None:
    """Rewrite the round's casts and ballots in the order of their random keys, so that the
    storage order (rowid, heap) no longer follows the order of voting. See the package note."""
    secret_tables = (
        (VoteCast, ("id", "round_id", "delegate_id")),
        (ElectronicBallot, ("id", "round_id", "kept", "receipt_hash")),
    )
    for model, fields in secret_tables:
        _reinsert_in_id_order(model, round, fields)


def _reinsert_in_id_order(model: type[Model], round: Round, fields: tuple[str, ...]) -> None:
    manager = model._default_manager
    rows = list(manager.filter(round=round).values(*fields).order_by("id"))
    manager.filter(round=round).delete()
    manager.bulk_create([model(**row) for row in rows])


@transaction.atomic
def round_close(*, round: Round, by: User) -> Round:
    round = _locked(round)
    _require(by, round.election.congress)
    if round.state != RoundState.OPEN:
        raise DomainError("round_not_open", _("This round is not open."))
    if round.method == Method.ELECTRONIC:
        _shuffle_secret_rows(round)
    round.state = RoundState.CLOSED
    round.closed = timezone.now()
    round.save(update_fields=["state", "closed"])
    log(by, Action.ROUND_CLOSED, round, {"turnout": selectors.turnout(round=round)})
    return round


@transaction.atomic
def round_release(*, round: Round, by: User) -> Round:
    """Publish the result. Refused while a paper ballot has one entry only or two that disagree
    unresolved: every single-entry mistake must be caught before anyone sees a figure."""
    round = _locked(round)
    _require(by, round.election.congress)
    if round.state != RoundState.CLOSED:
        raise DomainError("round_not_closed", _("Close the voting before releasing results."))
    if round.method == Method.PAPER:
        blockers = selectors.paper_blockers(round=round)
        if blockers:
            raise DomainError(
                "entries_incomplete",
                _(
                    "%(n)d ballots have a missing second entry or a disagreement; "
                    "resolve them before releasing."
                )
                % {"n": len(blockers)},
            )
    result = selectors.round_result(round=round)
    round.state = RoundState.RELEASED
    round.released = timezone.now()
    round.save(update_fields=["state", "released"])
    round.elected.set(result.elected)
    log(by, Action.ROUND_RELEASED, round,
        {"valid": result.valid, "invalid": result.invalid, "elected": list(result.elected),
         "tied": list(result.tied)})  # fmt: skip
    transaction.on_commit(
        lambda: signals.results_released.send(Round, round=round, result=result, by=by)
    )
    return round


# Paper ballots ------------------------------------------------------------------------------


def _check_kept(round: Round, kept: Iterable[int]) -> list[int]:
    kept = sorted(set(kept))
    allowed = set(round.candidates.values_list("pk", flat=True))
    if not set(kept) <= allowed:
        raise DomainError("unknown_candidate", _("A kept name is not on this round's ballot."))
    return kept


@transaction.atomic
def paper_entry_record(
    *, ballot: PaperBallot, entry: int, official: bool, kept: Iterable[int], by: User
) -> PaperEntry:
    """One counter's reading of a ballot. The two entries must come from two people; the
    database refuses a second entry by the same counter and a third entry."""
    round = _locked(ballot.round)
    _require(by, round.election.congress)
    if round.state not in (RoundState.OPEN, RoundState.CLOSED):
        raise DomainError("round_not_counting", _("This round is not being counted."))
    if entry not in (1, 2):
        raise DomainError("bad_entry", _("A ballot is entered twice: first or second entry."))
    kept = _check_kept(round, kept)
    if ballot.entries.filter(counter=by).exclude(entry=entry).exists():
        raise DomainError(
            "same_counter", _("The second entry must be made by another member of the committee.")
        )
    row, _created = PaperEntry.objects.update_or_create(
        ballot=ballot, entry=entry, defaults={"official": official, "kept": kept, "counter": by}
    )
    log(by, Action.ENTRY_RECORDED, ballot, {"entry": entry, "official": official, "kept": kept})
    return row


@transaction.atomic
def paper_ballot_resolve(
    *, ballot: PaperBallot, official: bool, kept: Iterable[int], by: User
) -> PaperBallot:
    """The committee's decision on a ballot whose two entries disagree (read off the paper)."""
    round = _locked(ballot.round)
    _require(by, round.election.congress)
    if round.state == RoundState.RELEASED:
        raise DomainError("round_released", _("The results of this round are released."))
    ballot.resolved_official = official
    ballot.resolved_kept = _check_kept(round, kept)
    ballot.resolved_by = by
    ballot.save(update_fields=["resolved_official", "resolved_kept", "resolved_by"])
    log(by, Action.BALLOT_RESOLVED, ballot, {"official": official, "kept": ballot.resolved_kept})
    return ballot


# Electronic ballots --------------------------------------------------------------------------


def _receipt() -> str:
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))


def vote_cast(*, round: Round, delegate: Delegate, kept: Iterable[int]) -> str:
    """Cast `delegate`'s secret ballot; returns the receipt code (shown once, stored hashed).

    `delegate` comes from congress's card check, so a replaced or revoked card never gets here.
    The cast row and the ballot are written in one transaction; the unique (round, delegate)
    constraint makes the second of two simultaneous votes fail as a whole."""
    if round.method != Method.ELECTRONIC or round.state != RoundState.OPEN:
        raise DomainError("round_not_open", _("This vote is not open."))
    if delegate.congress_id != round.election.congress_id or not selectors.is_eligible(
        delegate=delegate, session=round.election.session
    ):
        raise DomainError(
            "not_eligible", _("Only official delegates checked in to the session may vote.")
        )
    kept = _check_kept(round, kept)
    if len(kept) > round.seats:
        # An electronic ballot cannot be spoilt by accident: the phone says why and lets the
        # delegate correct it (a paper ballot keeping too many is counted as invalid instead).
        raise DomainError(
            "too_many_kept",
            _("Keep at most %(seats)d names.") % {"seats": round.seats},
        )
    code = _receipt()
    try:
        with transaction.atomic():
            # The round must still be open when the vote lands, not only when the page loaded.
            if not Round.objects.filter(pk=round.pk, state=RoundState.OPEN).exists():
                raise DomainError("round_not_open", _("This vote is not open."))
            VoteCast.objects.create(round=round, delegate=delegate)
            ElectronicBallot.objects.create(
                round=round, kept=kept, receipt_hash=selectors.receipt_hash(code)
            )
    except IntegrityError as error:
        raise DomainError("already_voted", _("You have already voted in this round.")) from error
    return code


def delegate_for_vote(token: str) -> Delegate:
    """The delegate a current card names (revoked, replaced, forged cards are refused)."""
    return congress_selectors.delegate_by_token(token)


# Show of hands -------------------------------------------------------------------------------


@transaction.atomic
def motion_create(
    *,
    congress: Congress,
    session: Session,
    title: str,
    by: User,
    method: str = MotionMethod.HANDS,
) -> Motion:
    _require(by, congress)
    if session.congress_id != congress.pk:
        raise DomainError("session_other_congress", _("The session belongs to another congress."))
    if method not in MotionMethod.values:
        raise DomainError("unknown_method", _("Choose how the delegates vote."), field="method")
    motion = Motion.objects.create(
        congress=congress, session=session, title=nfc(title), method=method
    )
    log(by, Action.MOTION_CREATED, motion, {"method": method})
    return motion


def _count_refused_if_counted(motion: Motion) -> None:
    if motion.state == MotionState.RELEASED:
        raise DomainError("motion_released", _("The result of this vote is released."))
    if motion.method == MotionMethod.PHONES and motion.counted:
        raise DomainError("motion_counted", _("Voting on this motion has closed."))


@transaction.atomic
def motion_vote(*, motion: Motion, delegate: Delegate, choice: str) -> MotionVote:
    """A delegate's vote from their phone (the card's token named them: congress checked it).
    Open voting, so the vote is kept with the delegate and the audit trail names them."""
    motion = Motion.objects.select_for_update().get(pk=motion.pk)
    if motion.method != MotionMethod.PHONES or motion.state != MotionState.OPEN:
        raise DomainError("motion_not_open", _("This vote is not open on the phones."))
    _count_refused_if_counted(motion)
    if choice not in Choice.values:
        raise DomainError("bad_choice", _("Choose for, against or abstain."), field="choice")
    if delegate.congress_id != motion.congress_id or not selectors.is_eligible(
        delegate=delegate, session=motion.session
    ):
        raise DomainError(
            "not_eligible", _("Only official delegates checked in to the session may vote.")
        )
    try:
        with transaction.atomic():
            vote = MotionVote.objects.create(motion=motion, delegate=delegate, choice=choice)
    except IntegrityError as error:
        raise DomainError("already_voted", _("You have already voted on this motion.")) from error
    log(None, Action.MOTION_VOTED, motion, {"delegate": delegate.pk, "choice": choice})
    return vote


def _set_count(motion: Motion, votes: tuple[int, int, int], *, present: int | None = None) -> None:
    """Store the count with the quorum at this moment; `present` is who could vote (by hand:
    the delegates counted for the quorum; by phone: every delegate the phones let vote)."""
    figures = congress_selectors.attendance_figures(session=motion.session, delegations=False)
    present = figures.quorum_present if present is None else present
    total = sum(votes)
    if min(votes) < 0 or total > present:
        raise DomainError(
            "more_votes_than_present",
            _("%(total)d votes, but only %(present)d delegates are present.")
            % {"total": total, "present": present},
        )
    motion.votes_for, motion.votes_against, motion.votes_abstain = votes
    motion.present = present
    motion.quorum_needed = figures.quorum_needed
    motion.save()


@transaction.atomic
def motion_count(*, motion: Motion, by: User) -> Motion:
    """Close the phones' voting on `motion` and count it, with the attendance at this moment."""
    motion = Motion.objects.select_for_update().select_related("congress__unit").get(pk=motion.pk)
    _require(by, motion.congress)
    if motion.method != MotionMethod.PHONES:
        raise DomainError("motion_by_hands", _("This motion is counted by hand."))
    _count_refused_if_counted(motion)
    tally = selectors.motion_phone_tally(motion=motion)
    _set_count(
        motion,
        (tally[Choice.FOR], tally[Choice.AGAINST], tally[Choice.ABSTAIN]),
        present=selectors.eligible_delegates(session=motion.session).count(),
    )
    log(by, Action.MOTION_COUNTED, motion, {**tally, "present": motion.present})
    return motion


@transaction.atomic
def motion_record(
    *, motion: Motion, votes_for: int, votes_against: int, votes_abstain: int, by: User
) -> Motion:
    """The presidium's count of raised hands, with the attendance and quorum at this moment."""
    motion = Motion.objects.select_for_update().select_related("congress__unit").get(pk=motion.pk)
    _require(by, motion.congress)
    if motion.method == MotionMethod.PHONES:
        raise DomainError("motion_by_phones", _("The delegates vote on this motion by phone."))
    _count_refused_if_counted(motion)
    _set_count(motion, (votes_for, votes_against, votes_abstain))
    log(by, Action.MOTION_RECORDED, motion,
        {"for": votes_for, "against": votes_against, "abstain": votes_abstain,
         "present": motion.present})  # fmt: skip
    return motion


@transaction.atomic
def motion_release(*, motion: Motion, by: User) -> Motion:
    motion = Motion.objects.select_for_update().select_related("congress__unit").get(pk=motion.pk)
    _require(by, motion.congress)
    if not motion.present:
        raise DomainError("motion_not_counted", _("Enter the count before releasing it."))
    motion.state = MotionState.RELEASED
    motion.save(update_fields=["state"])
    log(by, Action.MOTION_RELEASED, motion, {"passed": motion.passed})
    transaction.on_commit(lambda: signals.motion_released.send(Motion, motion=motion, by=by))
    return motion
