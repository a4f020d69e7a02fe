"""Profile: cleaning and checking the fields, the identity document that must stay unique
among current members, and edits with optimistic locking."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from unionhub.audit.services import changes, log
from unionhub.core import scope
from unionhub.core.errors import Conflict, DomainError
from unionhub.core.text import nfc
from unionhub.core.types import User
from unionhub.members import identity, signals
from unionhub.members.actions import Action
from unionhub.members.models import (
    HOLDING_STATES,
    SENSITIVE_FIELDS,
    IdKind,
    Member,
)
from unionhub.members.services._base import (
    _DATE_FIELDS,
    _GENDERS,
    _PHONE,
    _PHONE_SEPARATORS,
    _PROFILE_FIELD_SET,
    EARLIEST_BIRTH,
    MIN_AGE_AT_ADMISSION,
    UNION_FOUNDED,
    _fmt,
    _locked,
    _today,
)
from unionhub.orgs.models import Unit


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
            cleaned[name] = _clean_phone(nfc(value))
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


def _clean_phone(value: str) -> str:
    """The number's digits (after a + if there is one), without the spaces, dots, dashes,
    brackets and slashes typed between them; DomainError for anything else (a word, a note)."""
    digits = _PHONE_SEPARATORS.sub("", value)
    if digits and not _PHONE.fullmatch(digits):
        raise DomainError(
            "phone_invalid",
            _("“%(value)s” is not a phone number. Write only digits, for example 0912345678.")
            % {"value": value},
            field="phone",
        )
    return digits


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
    if birth_date < EARLIEST_BIRTH:
        raise DomainError(
            "birth_too_early",
            _("The date of birth %(born)s is before %(earliest)s: check the year.")
            % {"born": _fmt(birth_date), "earliest": _fmt(EARLIEST_BIRTH)},
            field="birth_date",
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
    if joined < UNION_FOUNDED:
        raise DomainError(
            "joined_before_the_union",
            _(
                "The union join date %(joined)s is before the Vietnamese trade union was "
                "founded (%(founded)s): check the year."
            )
            % {"joined": _fmt(joined), "founded": _fmt(UNION_FOUNDED)},
            field="joined",
        )
    check_birth_date(birth_date, joined, today=today)


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
