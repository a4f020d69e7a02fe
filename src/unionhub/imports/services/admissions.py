"""New members in bulk: the commit's write path for the rows it admits or records.

It keeps the registry's invariants exactly as members.services does for one member
(tests/imports/test_equivalence.py holds them side by side): the admission event, the open
membership period, the cached state, completeness, the name fields Member.save derives, the search
index (kept by the database from the generated column), the audit row per member and the
membership_changed signal."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any, TypeVar, cast

from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Field, Model
from django.db.models.base import ModelState
from django.utils import timezone

from unionhub.audit.models import AuditEvent
from unionhub.core.text import fold, nfc, split_full_name, word_sort_key
from unionhub.core.types import User
from unionhub.imports import bulk
from unionhub.imports.cells import CACHE_LIMIT
from unionhub.imports.plan import RowPlan
from unionhub.members import signals
from unionhub.members.actions import Action as MemberAction
from unionhub.members.models import (
    COMPLETENESS_FIELDS,
    EventKind,
    Member,
    MembershipEvent,
    MembershipPeriod,
    MemberState,
)
from unionhub.members.services import (
    PROFILE_FIELDS,
)

M = TypeVar("M", bound=Model)


def _actor_id(by: User | None) -> int | None:
    return by.pk if by is not None and by.is_authenticated else None


def _column(model: type[Model], name: str) -> Field[Any, Any]:
    """The concrete field of `model` whose column is `name`, as the staging table types it."""
    return next(f for f in model._meta.concrete_fields if name in (f.name, f.attname))


class _Profile(SimpleNamespace):
    """A member's values before the row exists, with the registry's own completeness rule."""

    missing_fields = Member.missing_fields


class _Names:
    """Member.derive_name_fields for many rows: once per distinct full name, and within it the
    folded form and sort key once per distinct word. Both are made word by word (fold maps a
    space to a space and works within words; the sort key is the keys of the words, given name
    first), so the result is derive_name_fields' (tests/imports/test_equivalence.py)."""

    def __init__(self) -> None:
        self.names: dict[str, tuple[str, ...]] = {}
        self.words: dict[str, tuple[str, str]] = {}

    def __call__(self, full_name: str) -> tuple[str, ...]:
        found = self.names.get(full_name)
        if found is None:
            if len(self.names) >= CACHE_LIMIT:
                self.names.clear()
            found = self.names[full_name] = self._derive(full_name)
        return found

    def _word(self, word: str) -> tuple[str, str]:
        found = self.words.get(word)
        if found is None:
            found = self.words[word] = (fold(word), word_sort_key([word]))
        return found

    def _derive(self, full_name: str) -> tuple[str, ...]:
        full_name = nfc(full_name)
        family, middle, given = split_full_name(full_name)
        folded = " ".join(self._word(word)[0] for word in full_name.split(" "))
        order = (given, *middle.split(" "), family)
        sort_key = "".join(self._word(word)[1] for word in order if word)
        return full_name, family, middle, given, folded, sort_key


# Columns staged per row; the rest are the same for every row of an admission.
_MEMBER_COLUMNS = (
    "id",
    "public_id",
    "unit_id",
    *PROFILE_FIELDS,
    "family_name",
    "middle_name",
    "given_name",
    "name_folded",
    "sort_key",
    "joined",
    "state_since",
    "completeness",
)
# Staged with them: the key of the member's first event (ADMITTED or RECORDED), and its audit
# row's target and details. Each insert takes its columns from the staging table by these maps.
_STAGE_FIELDS = [
    *((column, _column(Member, column)) for column in _MEMBER_COLUMNS),
    ("event_id", _column(MembershipEvent, "id")),
    ("audit_target", _column(AuditEvent, "target_id")),
    ("audit_data", _column(AuditEvent, "data")),
]
_EVENT_SOURCES = {
    "id": "event_id",
    "member_id": "id",
    # The first event's date is the state's: the join date for an admission, the day the
    # unit's books take the member for a recording (RowPlan.on).
    "date": "state_since",
    "unit_id": "unit_id",
    "decision": "admission_decision",
}
_PERIOD_SOURCES = {"member_id": "id", "unit_id": "unit_id", "start": "state_since"}
_AUDIT_SOURCES = {"target_id": "audit_target", "target_repr": "full_name", "data": "audit_data"}
_PROFILE_NAME_AT = PROFILE_FIELDS.index("full_name")
_UNIT_AT = _MEMBER_COLUMNS.index("unit_id")
_JOINED_AT = _MEMBER_COLUMNS.index("joined")
_SINCE_AT = _MEMBER_COLUMNS.index("state_since")
_DECISION_AT = _MEMBER_COLUMNS.index("admission_decision")
_COMPLETENESS_AT = tuple(
    _MEMBER_COLUMNS.index(name) for name in COMPLETENESS_FIELDS if name in _MEMBER_COLUMNS
)


def members_bulk_create(
    *,
    plans: list[RowPlan],
    kind: str,
    by: User,
    source: str,
    writer: bulk.Writer | None = None,
) -> list[int]:
    """Admit (`kind` ADMITTED) or record (RECORDED) the members of checked rows in bulk, as
    member_admit or member_record does one: the member row (name fields as Member.save derives
    them, state, completeness), its first event dated `plan.on`, its open membership period,
    its audit row and the membership_changed signal. Runs inside the caller's transaction;
    returns the new members' ids in the order of `plans`.

    With a `writer`, the rows are only queued there, the signals with them: all of it has
    happened once the writer has applied them and waited (bulk.Writer). The rows are built
    while the writer may still be inserting earlier ones; the keys are reserved after."""
    if writer is None:
        with bulk.Writer() as own:
            return members_bulk_create(plans=plans, kind=kind, by=by, source=source, writer=own)
    if not plans:
        return []
    now = timezone.now()
    actor = _actor_id(by)
    defaults = [(name, _column(Member, name).get_default()) for name in PROFILE_FIELDS]
    names = _Names()
    completeness: dict[tuple[bool, ...], int] = {}
    constants = {
        "photo": "",
        "photo_thumb": "",
        "state": MemberState.ACTIVE,
        "version": 1,
        "created": now,
        "updated": now,
    }
    rows: list[tuple[Any, ...]] = []
    for plan, public_id in zip(plans, _public_ids(len(plans)), strict=True):
        get = plan.data.get
        joined = get("joined")
        on = plan.on or joined
        profile = [get(name, default) for name, default in defaults]
        full_name, family, middle, given, folded, sort_key = names(profile[_PROFILE_NAME_AT])
        profile[_PROFILE_NAME_AT] = full_name
        # The key comes last (reserve_ids below): None holds its place meanwhile.
        row = (None, public_id, plan.unit.pk, *profile, family, middle, given, folded,
               sort_key, joined, on)  # fmt: skip
        # Completeness only asks which fields are filled: once per pattern of filled fields.
        filled = tuple(bool(row[i]) for i in _COMPLETENESS_AT)
        share = completeness.get(filled)
        if share is None:
            values = dict(zip(_MEMBER_COLUMNS, row, strict=False)) | constants
            profile_of_row = cast(Member, _Profile(**values))
            share = completeness[filled] = Member.compute_completeness(profile_of_row)
        rows.append((*row, share))
    event_constants = {
        "kind": kind,
        "other_unit_id": None,
        "reason": "",
        "reorganisation": False,
        "note": "",
        "by_id": actor,
        "recorded": now,
    }
    # One staging table feeds the four inserts: the member's columns, then its event's key
    # and its audit row's target and details.
    recording = kind == EventKind.RECORDED
    audit_data = _audit_details(source, recording=recording)
    writer.wait()  # the connection is free again: the earlier rows are in
    ids, event_ids = bulk.reserve_ids(Member, MembershipEvent, count=len(plans))
    stage = writer.stage(
        _STAGE_FIELDS,
        (
            (pk, *row[1:], event, str(pk), audit_data(plan.unit.code, row))
            for plan, row, pk, event in zip(plans, rows, ids, event_ids, strict=True)
        ),
    )
    writer.insert_from(stage, Member, {c: c for c in _MEMBER_COLUMNS}, constants=constants)
    writer.insert_from(stage, MembershipEvent, _EVENT_SOURCES, constants=event_constants)
    writer.insert_from(stage, MembershipPeriod, _PERIOD_SOURCES, constants={"end": None})
    # The rows audit.services.log would write for member_admit or member_record (plus the
    # file), in one statement instead of one per member.
    writer.insert_from(
        stage,
        AuditEvent,
        _AUDIT_SOURCES,
        constants={
            "at": now,
            "actor_id": actor,
            "action": MemberAction.MEMBER_RECORDED if recording else MemberAction.MEMBER_ADMITTED,
            "target_type_id": ContentType.objects.get_for_model(Member, for_concrete_model=True).pk,
        },
    )
    if signals.membership_changed.has_listeners(Member):
        event_of = dict(zip(ids, event_ids, strict=True))
        writer.then(
            lambda: _signal_admissions(rows, ids, event_of, constants, event_constants, by=by)
        )
    return ids


def _public_ids(count: int) -> list[uuid.UUID]:
    """`count` random (version 4) UUIDs, made as uuid.uuid4 makes them but from one read of the
    system's random source: uuid4 reads it once per call and releases the GIL each time, and
    the parsing thread (pipeline.Analyser) may then keep the GIL for a switch interval."""
    random = os.urandom(16 * count)
    return [uuid.UUID(bytes=random[i : i + 16], version=4) for i in range(0, 16 * count, 16)]


def _audit_details(source: str, *, recording: bool) -> Callable[[str, tuple[Any, ...]], str]:
    """member_admit's (or member_record's) audit details of a member row, as JSON: made once
    per distinct unit, dates and decision, which repeat."""
    details: dict[tuple[Any, ...], str] = {}

    def data(unit_code: str, row: tuple[Any, ...]) -> str:
        key = (unit_code, row[_JOINED_AT], row[_SINCE_AT], row[_DECISION_AT])
        found = details.get(key)
        if found is None:
            values = {
                "unit": key[0],
                "joined": key[1].isoformat(),
                "decision": key[3],
                "photo": False,
            }
            if recording:
                values["on"] = key[2].isoformat()
            found = details[key] = json.dumps({**values, "import": source})
        return found

    return data


def _signal_admissions(
    rows: list[tuple[Any, ...]],
    ids: list[int],
    event_of: dict[int, int],
    constants: dict[str, Any],
    event_constants: dict[str, Any],
    *,
    by: User,
) -> None:
    """membership_changed for each new member, as member_admit and member_record send it
    (upper apps follow)."""
    for pk, row in zip(ids, rows, strict=True):
        values = dict(zip(_MEMBER_COLUMNS, row, strict=True))
        values.update(constants, id=pk)
        member = _loaded(Member, values)
        event = _loaded(
            MembershipEvent,
            {
                "id": event_of[pk],
                "member_id": pk,
                "date": row[_SINCE_AT],
                "unit_id": row[_UNIT_AT],
                "decision": row[_DECISION_AT],
                **event_constants,
            },
        )
        event._state.fields_cache["member"] = member
        signals.membership_changed.send(sender=Member, member=member, event=event, by=by)


def _loaded(model: type[M], values: dict[str, Any]) -> M:
    """A model instance for rows just written, as the ORM builds one from a query but without
    Model.__init__'s per-field work (a third of the time of a 70,000-row import). Fields not in
    `values` (the generated search text) are deferred and load on access, as with .only()."""
    instance = model.__new__(model)
    instance.__dict__.update(values)
    instance._state = ModelState()
    instance._state.adding = False
    instance._state.db = DEFAULT_DB_ALIAS
    return instance
