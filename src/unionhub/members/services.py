"""Every change to members: admission, profile edits, photos, membership events and transfers.

Membership events are the source of truth (DESIGN §2). Each service records its event(s), keeps
the member's cached state and its MembershipPeriod rows in step, and writes the audit row, all in
one transaction; `lifecycle.step` decides whether the event may follow the member's history.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from unionhub.audit.services import changes, log, log_many
from unionhub.core import scope
from unionhub.core.errors import Conflict, DomainError
from unionhub.core.text import nfc
from unionhub.core.types import User
from unionhub.members import identity, lifecycle, photos, selectors, signals
from unionhub.members.actions import Action
from unionhub.members.models import (
    HOLDING_STATES,
    SENSITIVE_FIELDS,
    Entry,
    EventKind,
    Gender,
    IdKind,
    LeaveReason,
    Member,
    MembershipEvent,
    MembershipPeriod,
    MemberState,
    Transfer,
    TransferStatus,
)
from unionhub.orgs.models import Level, Unit

# Profile fields a registrar may set at admission and change later. `joined` (the union join
# date) is set at admission or recording and corrected on its own (member_update checks it
# against the date of birth); `unit` follows from transfers and is never edited directly.
PROFILE_FIELDS = (
    "full_name",
    "birth_date",
    "gender",
    "id_kind",
    "id_number",
    "ethnicity",
    "religion",
    "nationality",
    "home_town",
    "address",
    "phone",
    "email",
    "education",
    "qualification",
    "political_theory",
    "occupation",
    "employer",
    "workplace",
    "admission_decision",
)
# Frozen once: the import checks every row with these (Choices.values builds a new list a call).
_PROFILE_FIELD_SET = frozenset(PROFILE_FIELDS)
_GENDERS = frozenset(Gender.values)
_DATE_FIELDS = {"birth_date"}
_PHONE = re.compile(r"[^\d+]")
MIN_AGE_AT_ADMISSION = 15


def _today() -> dt.date:
    return timezone.localdate()


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


# Profile ------------------------------------------------------------------------------------


def clean_profile(fields: dict[str, Any]) -> dict[str, Any]:
    """NFC-normalised, canonical values; DomainError for unknown fields or bad documents."""
    if unknown := fields.keys() - _PROFILE_FIELD_SET:
        raise DomainError(
            "field_not_editable",
            _("These fields cannot be set: %s") % ", ".join(sorted(unknown)),
        )
    cleaned: dict[str, Any] = {}
    for name, value in fields.items():
        if name in _DATE_FIELDS:
            cleaned[name] = value or None
        elif name == "phone":
            cleaned[name] = _PHONE.sub("", nfc(value))
        elif name == "email":
            cleaned[name] = nfc(value).lower()
        else:
            cleaned[name] = nfc(value)
    if "id_number" in cleaned or "id_kind" in cleaned:
        kind = cleaned.get("id_kind") or IdKind.CCCD
        cleaned["id_kind"] = kind
        cleaned["id_number"] = identity.normalise_number(kind, cleaned.get("id_number", ""))
        identity.validate(kind, cleaned["id_number"])
    if "full_name" in cleaned and not cleaned["full_name"]:
        raise DomainError("name_required", _("Enter the member's full name."), field="full_name")
    if "gender" in cleaned and cleaned["gender"] not in _GENDERS:
        raise DomainError("gender_required", _("Choose the member's gender."), field="gender")
    return cleaned


def check_birth_date(
    birth_date: dt.date | None, joined: dt.date, *, today: dt.date | None = None
) -> None:
    """DomainError when the date of birth is in the future (after `today`, by default the
    local date now) or the union join date `joined` is before the member was of working age."""
    if birth_date is None:
        return
    if birth_date > (today or _today()):
        raise DomainError(
            "birth_in_future", _("The date of birth is in the future."), field="birth_date"
        )
    adult = dt.date(birth_date.year + MIN_AGE_AT_ADMISSION, birth_date.month, 1)
    if joined < adult:
        raise DomainError(
            "too_young",
            _(
                "The union join date %(joined)s is before the member could work: born on "
                "%(born)s, they were not yet %(age)s. Check both dates."
            )
            % {"joined": _fmt(joined), "born": _fmt(birth_date), "age": MIN_AGE_AT_ADMISSION},
            field="birth_date",
        )


def check_joined(
    birth_date: dt.date | None, joined: dt.date, *, today: dt.date | None = None
) -> None:
    """DomainError unless the union join date is bounded as a fact about the person: not after
    today and not before working age. Never checked against any unit's dates (DESIGN §2)."""
    today = today or _today()
    if joined > today:
        raise DomainError(
            "joined_in_future", _("The union join date is in the future."), field="joined"
        )
    check_birth_date(birth_date, joined, today=today)


@transaction.atomic
def member_sensitive_view(*, by: User, member: Member, in_form: bool = False) -> dict[str, str]:
    """Show `member`'s sensitive fields to `by`: every view of them is logged (DESIGN §2).

    `in_form`: the edit form shows them as field values; a form whose sensitive fields are all
    empty reveals nothing, so opening it is no view of sensitive data and is not logged."""
    values = selectors.member_sensitive(user=by, member=member)
    if in_form and not any(values.values()):
        return values
    log(by, Action.MEMBER_SENSITIVE_VIEWED, member, {"fields": list(SENSITIVE_FIELDS)})
    return values


def _document_holder(kind: str, number: str, *, exclude: int | None = None) -> Member | None:
    return (
        Member.objects.filter(id_kind=kind, id_number=number, state__in=HOLDING_STATES)
        .exclude(pk__in=[] if exclude is None else [exclude])
        .select_related("unit")
        .first()
    )


def _check_document_free(kind: str, number: str, *, by: User, exclude: int | None = None) -> None:
    """One holding membership per identity document, nationwide (DESIGN §2). The refusal names
    the holder's union only to an officer who can see it anyway."""
    if not number:
        return
    holder = _document_holder(kind, number, exclude=exclude)
    if holder is None:
        return
    if not scope.can(by, None, holder.unit):
        raise DomainError(
            "active_elsewhere",
            _(
                "This identity document belongs to a member of another union. A person holds "
                "one membership at a time: request a transfer instead."
            ),
            field="id_number",
        )
    raise DomainError(
        "active_elsewhere",
        _(
            "This identity document belongs to a member of %(unit)s. A person holds one "
            "membership at a time: request a transfer instead."
        )
        % {"unit": holder.unit.name},
        field="id_number",
        params={"member": holder.pk, "unit": holder.unit_id},
    )


class LookupLimited(DomainError):
    """The officer has looked up too many documents of members outside their units lately."""

    status = 429


def _lookups_allowed(by: User, members: list[Member]) -> set[int]:
    """Which of `members` (outside `by`'s units) `by` may still be told about: at most
    settings.DOCUMENT_LOOKUP_RATE = (count, seconds) distinct members per officer and window,
    counted in the shared cache under the officer's id (a member looked up again in the same
    window, as by an import's dry run and then its commit, is not counted twice)."""
    limit, window = settings.DOCUMENT_LOOKUP_RATE
    prefix = f"unionhub:lookups:{by.pk}:{int(time.time() // window)}"
    counter = f"{prefix}:count"
    allowed: set[int] = set()
    for member in members:
        seen = f"{prefix}:{member.pk}"
        if cache.get(seen) is None:
            cache.add(counter, 0, timeout=window)
            try:
                count = cache.incr(counter)
            except ValueError:  # expired between add and incr
                cache.set(counter, 1, timeout=window)
                count = 1
            if count > limit:
                continue
            cache.set(seen, 1, timeout=window)
        allowed.add(member.pk)
    return allowed


def document_lookups_record(*, by: User, members: list[Member], via: str) -> set[int]:
    """Record that `by` typed the document numbers of `members`: each member outside `by`'s
    units gets an audit row, and past the officer's rate nothing more may be said about them.
    Returns the ids of the members about whom nothing may be said. Its own transaction: the
    record stays when the admission it came with is refused."""
    hidden = [member for member in members if not scope.can(by, None, member.unit)]
    if not hidden:
        return set()
    allowed = _lookups_allowed(by, hidden)
    with transaction.atomic():
        for refused in (False, True):
            targets = [m for m in hidden if (m.pk in allowed) is not refused]
            log_many(
                by, Action.MEMBER_DOCUMENT_LOOKED_UP, targets, {"via": via, "refused": refused}
            )
    return {member.pk for member in hidden if member.pk not in allowed}


def lookup_limited() -> LookupLimited:
    return LookupLimited(
        "lookup_limited",
        _(
            "You have typed the document numbers of many members of other unions in a short "
            "time; wait a while and try again."
        ),
        field="id_number",
    )


def document_lookup(*, by: User, id_kind: str, id_number: str, via: str) -> None:
    """A document number typed on a form or sent to the API, before anything is done with it:
    recorded if it belongs to a member outside `by`'s units; LookupLimited past the rate."""
    kind = id_kind or IdKind.CCCD
    try:
        number = identity.normalise_number(kind, nfc(id_number or ""))
    except DomainError:
        return  # the form or service that follows says what is wrong with it
    holder = _document_holder(kind, number) if number else None
    if holder is not None and document_lookups_record(by=by, members=[holder], via=via):
        raise lookup_limited()


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


def _save_guarding_document(member: Member, *, by: User, **kwargs: Any) -> None:
    """Save; a concurrent admission with the same document loses on the database constraint."""
    try:
        with transaction.atomic():
            member.save(**kwargs)
    except IntegrityError as error:
        if "member_one_holding_membership_per_document" not in str(error) and "UNIQUE" not in str(
            error
        ):
            raise
        _check_document_free(member.id_kind, member.id_number, by=by, exclude=member.pk)
        raise


def profile_warnings(member: Member) -> list[str]:
    """What looks inconsistent in the profile; shown after saving, never blocking."""
    return identity.warnings(
        member.id_kind, member.id_number, gender=member.gender, birth_date=member.birth_date
    )


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


def _actor(by: User) -> Any:
    return by if getattr(by, "is_authenticated", False) else None


def _locked(member: Member) -> Member:
    return Member.objects.select_for_update().select_related("unit").get(pk=member.pk)


@transaction.atomic
def member_update(*, member: Member, by: User, version: int, **fields: Any) -> Member:
    """Change profile fields. `version` is the one the editor read: if somebody saved since,
    Conflict lists what they changed and nothing is written."""
    current = _locked(member)
    scope.require(by, scope.REGISTRAR, current.unit)
    if current.version != version:
        raise Conflict(
            "edit_conflict",
            _(
                "Somebody else saved this member while you were editing. Your changes were not "
                "saved; check theirs below and enter yours again."
            ),
            params={"changes": changes_since(member=current, version=version)},
        )
    if "id_kind" in fields or "id_number" in fields:
        fields = {"id_kind": current.id_kind, "id_number": current.id_number, **fields}
    joined = fields.pop("joined", None)
    data = clean_profile(fields)
    if joined is not None:
        data["joined"] = joined
    before = {name: getattr(current, name) for name in data}
    for name, value in data.items():
        setattr(current, name, value)
    diff = changes(before, {name: getattr(current, name) for name in data})
    if not diff:
        return current
    if "joined" in diff:
        check_joined(current.birth_date, current.joined)
    elif "birth_date" in diff:
        check_birth_date(current.birth_date, current.joined)
    if ("id_number" in diff or "id_kind" in diff) and current.holds_membership:
        _check_document_free(current.id_kind, current.id_number, by=by, exclude=current.pk)
    current.version = F("version") + 1
    current.completeness = current.compute_completeness()
    _save_guarding_document(current, by=by)
    current.refresh_from_db()
    # Ethnicity and religion are sensitive (DESIGN §2): the trail says that they changed, not
    # to what, as it is read by more people than may see them.
    logged = {name: [None, None] if name in SENSITIVE_FIELDS else diff[name] for name in diff}
    log(by, Action.MEMBER_UPDATED, current, {"version": current.version, "changes": logged})
    signals.member_updated.send(sender=Member, member=current, changed=diff, by=by)
    return current


@transaction.atomic
def member_list_exported(
    *, by: User, unit: Unit | None, query: str, rows: int, personal: bool
) -> None:
    """Record an export of the member list: who, of which unit (or all their units), with which
    filter, how many rows, and whether personal data was in it."""
    log(
        by,
        Action.LIST_EXPORTED,
        unit if unit is not None else by,
        {"filter": query, "rows": rows, "personal_data": personal},
    )


def changes_since(*, member: Member, version: int) -> list[dict[str, Any]]:
    """The profile changes saved after `version`, oldest first: who, when, field, old, new."""
    from unionhub.audit.selectors import history_for

    rows = []
    for entry in reversed(list(history_for(member, limit=200))):
        if entry.action not in (Action.MEMBER_UPDATED, Action.MEMBER_PHOTO_CHANGED):
            continue
        if entry.data.get("version", 0) <= version:
            continue
        who = (entry.actor.get_full_name() or entry.actor.get_username()) if entry.actor else ""
        for field, (old, new) in entry.data.get("changes", {}).items():
            rows.append({"field": field, "old": old, "new": new, "by": who, "at": entry.at})
    return rows


@transaction.atomic
def member_photo_set(*, member: Member, by: User, upload: Any) -> Member:
    """Replace the member's photo with `upload`, cleaned by photos.process (EXIF stripped)."""
    current = _locked(member)
    scope.require(by, scope.REGISTRAR, current.unit)
    processed = photos.process(upload)
    old_files = [f.name for f in (current.photo, current.photo_thumb) if f]
    current.photo.save("photo.jpg", processed.photo, save=False)
    current.photo_thumb.save("thumb.jpg", processed.thumb, save=False)
    new_files = [current.photo.name, current.photo_thumb.name]
    current.version = F("version") + 1
    current.completeness = current.compute_completeness()
    try:
        current.save()
    except Exception:
        _delete_files(new_files)
        raise
    current.refresh_from_db()
    log(
        by,
        Action.MEMBER_PHOTO_CHANGED,
        current,
        {"version": current.version, "changes": {"photo": [bool(old_files), True]}},
    )
    transaction.on_commit(lambda: _delete_files(old_files))
    signals.member_updated.send(
        sender=Member, member=current, changed={"photo": [bool(old_files), True]}, by=by
    )
    return current


# The demo's drawn portraits are shared by many members: replacing one member's photo must not
# delete the file under everybody else.
SHARED_PHOTO_PREFIX = "members/demo/"


def _delete_files(names: list[str | None]) -> None:
    storage = Member._meta.get_field("photo").storage
    for name in names:
        if name and not name.startswith(SHARED_PHOTO_PREFIX):
            storage.delete(name)


# Membership events ----------------------------------------------------------------------------


def _standing(member: Member) -> lifecycle.Standing:
    last = member.events.order_by("-date", "-id").values_list("date", flat=True).first()
    period = member.periods.filter(end__isnull=True).values_list("start", flat=True).first()
    return lifecycle.Standing(
        state=member.state,
        unit_id=member.unit_id,
        since=member.state_since,
        last_date=last,
        period_start=period,
    )


def _apply(
    member: Member,
    standing: lifecycle.Standing,
    event: lifecycle.Event,
    *,
    by: User,
    decision: str = "",
    reason: str = "",
    note: str = "",
) -> tuple[lifecycle.Standing, MembershipEvent]:
    """Record one event: check it, write it, move the periods and the cached state."""
    after = lifecycle.step(standing, event, today=_today())
    record = MembershipEvent.objects.create(
        member=member,
        kind=event.kind,
        date=event.date,
        unit_id=event.unit_id,
        other_unit_id=event.other_unit_id,
        reason=reason,
        reorganisation=event.reorganisation,
        decision=nfc(decision),
        note=nfc(note),
        by=_actor(by),
    )
    if standing.period_start is not None and after.period_start != standing.period_start:
        _close_period(member, event.date)
    if after.period_start is not None and after.period_start != standing.period_start:
        MembershipPeriod.objects.create(
            member=member, unit_id=lifecycle.unit_of(after), start=event.date
        )
    state, since, unit_id = lifecycle.settled(after)
    Member.objects.filter(pk=member.pk).update(
        state=state, state_since=since, unit_id=unit_id, updated=timezone.now()
    )
    member.state, member.state_since, member.unit_id = state, since, unit_id
    signals.membership_changed.send(sender=Member, member=member, event=record, by=by)
    return after, record


def _close_period(member: Member, end: dt.date) -> None:
    period = MembershipPeriod.objects.select_for_update().get(member=member, end__isnull=True)
    if end <= period.start:
        period.delete()  # closed on the day it opened: an empty stretch is no period at all
    else:
        period.end = end
        period.save(update_fields=["end"])


def _record_state_event(
    *,
    member: Member,
    kind: str,
    date: dt.date,
    by: User,
    decision: str = "",
    reason: str = "",
    note: str = "",
    action: str,
) -> Member:
    current = _locked(member)
    scope.require(by, scope.REGISTRAR, current.unit)
    if kind == EventKind.REINSTATED:
        check_unit_takes_members(current.unit, date)
        _check_document_free(current.id_kind, current.id_number, by=by, exclude=current.pk)
    _apply(
        current,
        _standing(current),
        lifecycle.Event(kind, date, current.unit_id),
        by=by,
        decision=decision,
        reason=reason,
        note=note,
    )
    if current.state != MemberState.ACTIVE:
        _cancel_pending_transfers(current, by=by)
    log(by, action, current, {"date": date, "decision": decision, "reason": reason})
    return current


@transaction.atomic
def member_suspend(*, member: Member, date: dt.date, by: User, decision: str = "") -> Member:
    """Suspend membership (up to 12 months); the membership period ends on `date`."""
    return _record_state_event(
        member=member,
        kind=EventKind.SUSPENDED,
        date=date,
        by=by,
        decision=decision,
        action=Action.MEMBER_SUSPENDED,
    )


@transaction.atomic
def member_resume(*, member: Member, date: dt.date, by: User, decision: str = "") -> Member:
    return _record_state_event(
        member=member,
        kind=EventKind.RESUMED,
        date=date,
        by=by,
        decision=decision,
        action=Action.MEMBER_RESUMED,
    )


@transaction.atomic
def member_leave(
    *, member: Member, date: dt.date, reason: str, by: User, decision: str = ""
) -> Member:
    """The member leaves (resigned, struck off, expelled, left the job…)."""
    if reason not in LeaveReason.values:
        raise DomainError("reason_required", _("Choose why the member leaves."), field="reason")
    return _record_state_event(
        member=member,
        kind=EventKind.LEFT,
        date=date,
        by=by,
        decision=decision,
        reason=reason,
        action=Action.MEMBER_LEFT,
    )


@transaction.atomic
def member_retire(*, member: Member, date: dt.date, by: User, decision: str = "") -> Member:
    return _record_state_event(
        member=member,
        kind=EventKind.RETIRED,
        date=date,
        by=by,
        decision=decision,
        action=Action.MEMBER_RETIRED,
    )


@transaction.atomic
def member_decease(*, member: Member, date: dt.date, by: User, decision: str = "") -> Member:
    return _record_state_event(
        member=member,
        kind=EventKind.DECEASED,
        date=date,
        by=by,
        decision=decision,
        action=Action.MEMBER_DECEASED,
    )


@transaction.atomic
def member_reinstate(*, member: Member, date: dt.date, by: User, decision: str = "") -> Member:
    """Take back a member who left or retired, in the unit they were last in."""
    return _record_state_event(
        member=member,
        kind=EventKind.REINSTATED,
        date=date,
        by=by,
        decision=decision,
        action=Action.MEMBER_REINSTATED,
    )


# Transfers ------------------------------------------------------------------------------------


def _cancel_pending_transfers(member: Member, *, by: User) -> None:
    for transfer in Transfer.objects.filter(member=member, status=TransferStatus.PENDING):
        transfer.status = TransferStatus.CANCELLED
        transfer.decided_by = _actor(by)
        transfer.decided_at = timezone.now()
        transfer.save(update_fields=["status", "decided_by", "decided_at"])
        log(by, Action.TRANSFER_CANCELLED, member, {"transfer": transfer.pk})


@transaction.atomic
def transfer_request(
    *, member: Member, to_unit: Unit, effective: dt.date, by: User, note: str = ""
) -> Transfer:
    """Ask for `member` to move to `to_unit` from `effective`. Either side may ask; the other
    side accepts or rejects, and the member stays where they are until then."""
    current = _locked(member)
    if scope.can(by, scope.REGISTRAR, current.unit):
        by_receiver = False
    elif scope.can(by, scope.REGISTRAR, to_unit):
        by_receiver = True
    else:
        scope.require(by, scope.REGISTRAR, current.unit)
    if current.state != MemberState.ACTIVE:
        raise DomainError("member_not_active", _("Only active members can be transferred."))
    if to_unit.pk == current.unit_id:
        raise DomainError(
            "same_unit", _("The member is already in %(unit)s.") % {"unit": to_unit.name}
        )
    check_unit_takes_members(to_unit, effective)
    standing = _standing(current)
    if standing.last_date and effective < standing.last_date:
        raise DomainError(
            "date_before_last_event",
            _("The date %(date)s is before the member's last recorded event (%(last)s).")
            % {"date": _fmt(effective), "last": _fmt(standing.last_date)},
            field="effective",
        )
    if Transfer.objects.filter(member=current, status=TransferStatus.PENDING).exists():
        raise DomainError(
            "transfer_pending", _("A transfer of this member is already waiting for an answer.")
        )
    transfer = Transfer.objects.create(
        member=current,
        from_unit=current.unit,
        to_unit=to_unit,
        effective=effective,
        requested_by_receiver=by_receiver,
        note=nfc(note),
        requested_by=_actor(by),
    )
    log(
        by,
        Action.TRANSFER_REQUESTED,
        current,
        {
            "transfer": transfer.pk,
            "from": current.unit.code,
            "to": to_unit.code,
            "effective": effective,
            "by_receiver": by_receiver,
        },
    )
    return transfer


def _locked_pending(transfer: Transfer, by: User) -> Transfer:
    """The transfer, locked, if it still waits and `by` answers for the side that was asked."""
    transfer = (
        Transfer.objects.select_for_update()
        .select_related("member", "from_unit", "to_unit")
        .get(pk=transfer.pk)
    )
    answering = transfer.from_unit if transfer.requested_by_receiver else transfer.to_unit
    scope.require(by, scope.REGISTRAR, answering)
    if transfer.status != TransferStatus.PENDING:
        raise DomainError(
            "transfer_decided",
            _("This transfer was already answered (%(status)s).")
            % {"status": transfer.get_status_display()},
        )
    return transfer


@transaction.atomic
def transfer_accept(*, transfer: Transfer, by: User, decision: str = "") -> Transfer:
    """The side that was asked accepts: the member moves on the effective date."""
    transfer = _locked_pending(transfer, by)
    if transfer.effective > _today():
        raise DomainError(
            "transfer_not_yet",
            _("This transfer takes effect on %(date)s; it can be accepted from that day.")
            % {"date": _fmt(transfer.effective)},
        )
    member = _locked(transfer.member)
    if member.unit_id != transfer.from_unit_id or member.state != MemberState.ACTIVE:
        raise DomainError(
            "member_changed",
            _("The member is no longer an active member of %(unit)s; the transfer cannot go on.")
            % {"unit": transfer.from_unit.name},
        )
    check_unit_takes_members(transfer.to_unit, transfer.effective)
    standing = _standing(member)
    for kind, unit, other in [
        (EventKind.TRANSFERRED_OUT, transfer.from_unit_id, transfer.to_unit_id),
        (EventKind.TRANSFERRED_IN, transfer.to_unit_id, transfer.from_unit_id),
    ]:
        standing, _event = _apply(
            member,
            standing,
            lifecycle.Event(kind, transfer.effective, unit, other),
            by=by,
            decision=decision,
            note=transfer.note,
        )
    transfer.status = TransferStatus.ACCEPTED
    transfer.decided_by = _actor(by)
    transfer.decided_at = timezone.now()
    transfer.save(update_fields=["status", "decided_by", "decided_at"])
    log(
        by,
        Action.TRANSFER_ACCEPTED,
        member,
        {
            "transfer": transfer.pk,
            "from": transfer.from_unit.code,
            "to": transfer.to_unit.code,
            "effective": transfer.effective,
        },
    )
    return transfer


@transaction.atomic
def transfer_reject(*, transfer: Transfer, by: User, note: str = "") -> Transfer:
    """The side that was asked refuses; the member stays where they are."""
    transfer = _locked_pending(transfer, by)
    transfer.status = TransferStatus.REJECTED
    transfer.decided_by = _actor(by)
    transfer.decided_at = timezone.now()
    if note:
        transfer.note = nfc(f"{transfer.note} — {note}" if transfer.note else note)[:255]
    transfer.save(update_fields=["status", "decided_by", "decided_at", "note"])
    log(by, Action.TRANSFER_REJECTED, transfer.member, {"transfer": transfer.pk, "note": note})
    return transfer


@transaction.atomic
def transfer_cancel(*, transfer: Transfer, by: User) -> Transfer:
    """The side that asked withdraws its request."""
    transfer = Transfer.objects.select_for_update().select_related("member").get(pk=transfer.pk)
    asking = transfer.to_unit if transfer.requested_by_receiver else transfer.from_unit
    scope.require(by, scope.REGISTRAR, asking)
    if transfer.status != TransferStatus.PENDING:
        raise DomainError(
            "transfer_decided",
            _("This transfer was already answered (%(status)s).")
            % {"status": transfer.get_status_display()},
        )
    transfer.status = TransferStatus.CANCELLED
    transfer.decided_by = _actor(by)
    transfer.decided_at = timezone.now()
    transfer.save(update_fields=["status", "decided_by", "decided_at"])
    log(by, Action.TRANSFER_CANCELLED, transfer.member, {"transfer": transfer.pk})
    return transfer


# Reorganisation -------------------------------------------------------------------------------


@transaction.atomic
def members_move_by_reorganisation(
    *, from_unit: Unit, to_unit: Unit, effective: dt.date, by: User
) -> int:
    """Move every member holding membership in `from_unit` to `to_unit` on `effective`, as a
    change of the tree (TRANSFERRED_OUT/IN pairs with reorganisation=True). Set-based: a merge
    moves thousands of members in a handful of statements. Returns how many moved."""
    scope.require(by, scope.REGISTRAR, from_unit)
    scope.require(by, scope.REGISTRAR, to_unit)
    if from_unit.pk == to_unit.pk:
        raise DomainError("same_unit", _("A unit's members cannot be moved into itself."))
    check_unit_takes_members(to_unit, effective)
    holding = Member.objects.filter(unit=from_unit, state__in=HOLDING_STATES)
    moving = list(holding.select_for_update().only("pk", "full_name", "state"))
    if not moving:
        return 0
    later = MembershipEvent.objects.filter(
        member__unit=from_unit, member__state__in=HOLDING_STATES, date__gt=effective
    ).first()
    if later is not None:
        raise DomainError(
            "date_before_last_event",
            _("%(member)s has an event dated after %(date)s; moves cannot be recorded earlier.")
            % {"member": later.member.full_name, "date": _fmt(effective)},
        )
    actor = _actor(by)
    events = []
    for member in moving:
        events.append(
            MembershipEvent(
                member=member,
                kind=EventKind.TRANSFERRED_OUT,
                date=effective,
                unit=from_unit,
                other_unit=to_unit,
                reorganisation=True,
                by=actor,
            )
        )
        events.append(
            MembershipEvent(
                member=member,
                kind=EventKind.TRANSFERRED_IN,
                date=effective,
                unit=to_unit,
                other_unit=from_unit,
                reorganisation=True,
                by=actor,
            )
        )
    MembershipEvent.objects.bulk_create(events, batch_size=2000)
    open_periods = MembershipPeriod.objects.filter(
        end__isnull=True, member__unit=from_unit, member__state__in=HOLDING_STATES
    )
    open_periods.filter(start__gte=effective).delete()
    open_periods.update(end=effective)
    MembershipPeriod.objects.bulk_create(
        [
            MembershipPeriod(member=member, unit=to_unit, start=effective)
            for member in moving
            if member.state == MemberState.ACTIVE
        ],
        batch_size=2000,
    )
    pending = Transfer.objects.filter(
        member__unit=from_unit, member__state__in=HOLDING_STATES, status=TransferStatus.PENDING
    )
    pending.update(status=TransferStatus.CANCELLED, decided_by=actor, decided_at=timezone.now())
    holding.update(unit=to_unit, updated=timezone.now())
    log_many(
        by,
        Action.MEMBER_MOVED_BY_REORGANISATION,
        moving,
        {"from": from_unit.code, "to": to_unit.code, "effective": effective},
    )
    log(
        by,
        "members.reorganisation",
        from_unit,
        {"to": to_unit.code, "effective": effective, "members": len(moving)},
    )
    arrivals = {e.member_id: e for e in events if e.kind == EventKind.TRANSFERRED_IN}
    for member in moving:
        member.unit = to_unit
        signals.membership_changed.send(
            sender=Member, member=member, event=arrivals[member.pk], by=by
        )
    return len(moving)


def on_unit_dissolving(
    sender: Any,
    *,
    unit: Unit,
    effective: dt.date,
    by: User,
    merged_into: Unit | None,
    **kwargs: Any,
) -> None:
    """A unit with members closes only by merging: its members move into `merged_into`."""
    holding = Member.objects.filter(unit=unit, state__in=HOLDING_STATES)
    if merged_into is None:
        if holding.exists():
            raise DomainError(
                "unit_has_members",
                _(
                    "%(unit)s still has %(count)s members. Transfer them first, or merge the unit "
                    "into another one so they move with it."
                )
                % {"unit": unit.name, "count": holding.count()},
            )
    else:
        members_move_by_reorganisation(
            from_unit=unit, to_unit=merged_into, effective=effective, by=by
        )
    # Requests to join a unit that closes can no longer be answered by it.
    Transfer.objects.filter(to_unit=unit, status=TransferStatus.PENDING).update(
        status=TransferStatus.CANCELLED, decided_by=_actor(by), decided_at=timezone.now()
    )
