"""Reads of the imports app. Batches are scoped to registrars of their unit; the document
look-ups are national on purpose: one person holds one membership anywhere (DESIGN §2), so an
import must see a holder in any unit to turn a duplicate into a transfer request."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, TypeVar

from django.db.models import Q, QuerySet

from unionhub.core import registry, scope
from unionhub.core.errors import OutOfScope
from unionhub.core.text import fold
from unionhub.core.types import User
from unionhub.imports.models import BatchStatus, ColumnMapping, ImportBatch
from unionhub.members.models import HOLDING_STATES, Member, Transfer, TransferStatus
from unionhub.members.selectors import MemberFilters, member_list
from unionhub.orgs.models import Level, Unit

# Values per look-up (bound as one parameter: core.lookups): one query per chunk of the import.
LOOKUP_CHUNK = 5000


def import_units(*, user: User) -> QuerySet[Unit]:
    """Units whose members the user may import (registrar or unit admin there)."""
    return scope.units(user, role=scope.REGISTRAR).order_by("path")


def target_units(*, user: User, unit: Unit) -> dict[str, Unit]:
    """Units inside `unit` that rows may name by code, by upper-case code: those that hold
    members and that the user is registrar for."""
    units = scope.units(user, role=scope.REGISTRAR, within=unit, include_dissolved=True)
    return {u.code.upper(): u for u in units.filter(level__gt=Level.PROVINCE)}


def batch_get(*, user: User, pk: Any) -> ImportBatch:
    """A batch, for registrars of its unit only (it holds personal data of its rows)."""
    batch = ImportBatch.objects.select_related("unit", "owner").filter(pk=pk).first()
    if batch is None or not scope.can(user, scope.REGISTRAR, batch.unit):
        raise OutOfScope()
    return batch


def batch_list(*, user: User, limit: int = 20) -> QuerySet[ImportBatch]:
    return import_history(user=user)[:limit]


HISTORY_SORTS = {
    "-created": ("-created", "-pk"),
    "created": ("created", "pk"),
    "unit": ("unit__sort_key", "-created"),
    "status": ("status", "-created"),
}


def import_history(
    *, user: User, status: str = "", sort: str = "-created", query: str = ""
) -> QuerySet[ImportBatch]:
    """Past imports into the units where the user registers members: who, when, the counts
    (in each batch's summary) and how it ended."""
    units = scope.units(user, role=scope.REGISTRAR, include_dissolved=True)
    qs = ImportBatch.objects.filter(unit__in=units).select_related("unit", "owner")
    if status in BatchStatus.values:
        qs = qs.filter(status=status)
    if folded := fold(query):
        qs = qs.filter(Q(filename__icontains=query.strip()) | Q(unit__name_folded__contains=folded))
    return qs.order_by(*HISTORY_SORTS.get(sort, HISTORY_SORTS["-created"]))


def saved_mapping(*, unit: Unit, signature: str) -> dict[str, str] | None:
    row = ColumnMapping.objects.filter(unit=unit, signature=signature).first()
    return row.mapping if row else None


_T = TypeVar("_T")


def _chunks(items: list[_T], size: int = LOOKUP_CHUNK) -> Iterable[list[_T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def members_by_document(
    keys: Iterable[tuple[str, str]], *, lock: bool = False
) -> tuple[dict[tuple[str, str], Member], dict[tuple[str, str], Member]]:
    """For each (id_kind, id_number): the member holding a membership with that document,
    anywhere (`holders`), and, where none does, the latest record of one who held it and no
    longer does (left, retired, deceased: `former`). One query per chunk of numbers; `lock`
    locks the rows found."""
    by_kind: dict[str, set[str]] = {}
    for kind, number in keys:
        by_kind.setdefault(kind, set()).add(number)
    holders: dict[tuple[str, str], Member] = {}
    former: dict[tuple[str, str], Member] = {}
    for kind, numbers in by_kind.items():
        for chunk in _chunks(sorted(numbers)):
            qs = (
                Member.objects.filter(id_kind=kind, id_number__one_of=chunk)
                .select_related("unit")
                .order_by("state_since", "pk")
            )
            if lock:
                qs = qs.select_for_update(of=("self",))
            for member in qs:
                key = (member.id_kind, member.id_number)
                if member.state in HOLDING_STATES:
                    holders[key] = member
                else:
                    former[key] = member  # the latest wins
    return holders, {key: member for key, member in former.items() if key not in holders}


def holders_without_document(
    *, units: Iterable[Unit], names: Iterable[str]
) -> dict[tuple[int, str, dt.date | None], list[Member]]:
    """(unit id, folded name, birth date) → the unit's members, for rows without a document
    number: matched on name and date of birth within the unit. Members who have a number
    are among them: a list that leaves the number out still names them (an empty cell never
    erases it), and was taken for a second person of the same name and birth."""
    unit_ids = [u.pk for u in units]
    found: dict[tuple[int, str, dt.date | None], list[Member]] = {}
    for chunk in _chunks(sorted(set(names))):
        qs = Member.objects.filter(
            unit_id__in=unit_ids, name_folded__one_of=chunk, state__in=HOLDING_STATES
        )
        for member in qs:
            found.setdefault((member.unit_id, member.name_folded, member.birth_date), []).append(
                member
            )
    return found


def pending_transfers(member_ids: Iterable[int]) -> set[int]:
    """Which of these members already have a transfer waiting for an answer."""
    pending: set[int] = set()
    for chunk in _chunks(sorted(set(member_ids))):
        pending.update(
            Transfer.objects.filter(
                member__id__one_of=chunk, status=TransferStatus.PENDING
            ).values_list("member_id", flat=True)
        )
    return pending


def export_members(*, user: User, unit: Unit) -> QuerySet[Member]:
    """The members an export in the template layout holds: the registrar's current members of
    `unit`'s subtree, in Vietnamese name order."""
    scope.require(user, scope.REGISTRAR, unit)
    return member_list(user=user, unit=unit, filters=MemberFilters()).filter(
        Q(unit__in=scope.units(user, role=scope.REGISTRAR, within=unit, include_dissolved=True))
    )


def recent_members(*, user: User, unit: Unit, limit: int = 50) -> list[Member]:
    """The unit's members most recently created or changed: what an import just wrote."""
    return list(
        member_list(user=user, unit=unit, filters=MemberFilters()).order_by("-updated", "-pk")[
            :limit
        ]
    )


def photo_owners(*, user: User, unit: Unit, stems: Iterable[str]) -> dict[str, Member]:
    """File name stem → the member of `unit`'s subtree it names: by document number (leading
    zeros Excel dropped restored as on import), else by card number through the member search
    that upper apps (cards) add in core.registry. Only members the user registers are found."""
    from unionhub.imports.parsers import ValueProblem, parse_id_number

    scope.require(user, scope.REGISTRAR, unit)
    members = scope.restrict(Member.objects.all(), user, role=scope.REGISTRAR).filter(
        scope.subtree_q(unit.path, via="unit"), state__in=HOLDING_STATES
    )
    numbers: dict[str, str] = {}
    for stem in stems:
        try:
            numbers[stem] = parse_id_number(stem).value
        except ValueProblem:
            continue
    found: dict[str, Member] = {}
    by_number: dict[str, Member] = {}
    for chunk in _chunks(sorted(set(numbers.values()))):
        for holder in members.filter(id_number__one_of=chunk):
            by_number[holder.id_number] = holder
    for stem in stems:
        member = by_number.get(numbers.get(stem, ""))
        if member is None:
            conditions = [
                q for matcher in registry.collect("member_search") if (q := matcher(stem))
            ]
            if conditions:
                condition = conditions[0]
                for extra in conditions[1:]:
                    condition |= extra
                matches = list(members.filter(condition).distinct()[:2])
                member = matches[0] if len(matches) == 1 else None
        if member is not None:
            found[stem] = member
    return found
