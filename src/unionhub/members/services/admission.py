"""Members entering the books: admitted (a new member) or recorded (an existing member put
on a unit's books), and the units that may take them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from unionhub.audit.services import log
from unionhub.core import scope
from unionhub.core.errors import DomainError
from unionhub.core.text import nfc
from unionhub.core.types import User
from unionhub.members import lifecycle, photos, signals
from unionhub.members.actions import Action
from unionhub.members.models import (
    Entry,
    EventKind,
    IdKind,
    Member,
    MembershipEvent,
    MembershipPeriod,
)
from unionhub.members.services._base import _actor, _fmt, _today
from unionhub.members.services.photos import _delete_files
from unionhub.members.services.profile import (
    _check_document_free,
    _save_guarding_document,
    check_joined,
    clean_profile,
)
from unionhub.orgs.models import Level, Unit


def check_unit_takes_members(unit: Unit, on: dt.date, *, recording: bool = False) -> None:
    """DomainError unless `unit` can hold members on `on`: a grassroots-level unit, founded and
    not dissolved. `recording`: `on` is the day the unit's books take an existing member."""
    if unit.level <= Level.PROVINCE:
        raise DomainError(
            "unit_takes_no_members",
            _("Members belong to grassroots unions, not to %(unit)s.") % {"unit": unit.name},
            field="unit",
        )
    if unit.dissolved is not None and unit.dissolved <= on:
        raise DomainError(
            "unit_dissolved",
            _("%(unit)s was dissolved on %(date)s.")
            % {"unit": unit.name, "date": _fmt(unit.dissolved)},
            field="unit",
        )
    if on < unit.founded:
        if recording:
            message = _(
                "The books of %(unit)s cannot open before it was founded on %(date)s; choose a "
                "books-open date on or after that day. The union join date is kept as it is."
            )
        else:
            message = _(
                "%(unit)s was founded on %(date)s: nobody can be admitted to it before then. "
                "A member who joined the union earlier is recorded as an existing member, "
                "with their union join date kept."
            )
        raise DomainError(
            "date_before_founding",
            message % {"unit": unit.name, "date": _fmt(unit.founded)},
            field="date",
        )


def recorded_on(joined: dt.date, books_open: dt.date) -> dt.date:
    """The day a unit's books hold an existing member: the books-open date, or the union join
    date for a person who joined the union after the books opened."""
    return max(joined, books_open)


@transaction.atomic
def member_admit(
    *, unit: Unit, by: User, joined: dt.date, decision: str = "", **profile: Any
) -> Member:
    """Admit a new member (kết nạp) to `unit` on `joined`, the day they join the union.
    `profile` holds PROFILE_FIELDS and optionally `photo` (an uploaded file, processed as by
    member_photo_set)."""
    return _member_create(
        kind=EventKind.ADMITTED,
        unit=unit,
        by=by,
        joined=joined,
        on=joined,
        decision=decision,
        profile=profile,
    )


@transaction.atomic
def member_record(
    *,
    unit: Unit,
    by: User,
    joined: dt.date,
    books_open: dt.date | None = None,
    decision: str = "",
    **profile: Any,
) -> Member:
    """Record an existing member (ghi nhận) on `unit`'s books: the person joined the union on
    `joined` (any day of their working life, here or elsewhere); the unit holds them from
    `books_open` (default today; on or after the unit's founding). Never an admission."""
    on = recorded_on(joined, books_open or _today())
    return _member_create(
        kind=EventKind.RECORDED,
        unit=unit,
        by=by,
        joined=joined,
        on=on,
        decision=decision,
        profile=profile,
    )


def member_enter(
    *,
    entry: str,
    unit: Unit,
    by: User,
    joined: dt.date,
    books_open: dt.date | None = None,
    decision: str = "",
    **profile: Any,
) -> Member:
    """member_admit or member_record, as `entry` (an Entry) says; `books_open` only records."""
    if entry == Entry.RECORD:
        return member_record(
            unit=unit, by=by, joined=joined, books_open=books_open, decision=decision, **profile
        )
    if entry != Entry.ADMIT:
        raise DomainError("entry_unknown", _("Choose to admit or to record the member."))
    return member_admit(unit=unit, by=by, joined=joined, decision=decision, **profile)


def _member_create(
    *,
    kind: str,
    unit: Unit,
    by: User,
    joined: dt.date,
    on: dt.date,
    decision: str,
    profile: dict[str, Any],
) -> Member:
    scope.require(by, scope.REGISTRAR, unit)
    upload = profile.pop("photo", None)
    if decision:
        profile["admission_decision"] = decision
    data = clean_profile({"full_name": "", "gender": "", "id_kind": IdKind.CCCD, **profile})
    check_joined(data.get("birth_date"), joined)
    check_unit_takes_members(unit, on, recording=kind == EventKind.RECORDED)
    _check_document_free(data["id_kind"], data["id_number"], by=by)
    standing = lifecycle.step(
        lifecycle.Standing(), lifecycle.Event(kind, on, unit.pk), today=_today()
    )
    processed = photos.process(upload) if upload else None
    state, _since, _unit_id = lifecycle.settled(standing)
    member = Member(unit=unit, joined=joined, state=state, state_since=on, **data)
    if processed:
        member.photo.save("photo.jpg", processed.photo, save=False)
        member.photo_thumb.save("thumb.jpg", processed.thumb, save=False)
        # Files are not transactional: if the row is not written, the files must not stay.
        new_files = [member.photo.name, member.photo_thumb.name]
    member.completeness = member.compute_completeness()
    try:
        _save_guarding_document(member, by=by)
    except Exception:
        if processed:
            _delete_files(new_files)
        raise
    event = MembershipEvent.objects.create(
        member=member, kind=kind, date=on, unit=unit, decision=nfc(decision), by=_actor(by)
    )
    MembershipPeriod.objects.create(member=member, unit=unit, start=on)
    details = {"unit": unit.code, "joined": joined, "decision": decision, "photo": bool(processed)}
    if kind == EventKind.ADMITTED:
        log(by, Action.MEMBER_ADMITTED, member, details)
    else:
        log(by, Action.MEMBER_RECORDED, member, {**details, "on": on})
    signals.membership_changed.send(sender=Member, member=member, event=event, by=by)
    return member
