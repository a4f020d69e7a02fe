"""The dry run: every row of a table read, checked against the registry and classified (new,
updated, unchanged, transfer, error), with each problem's row, column and fix. Reads only; the
commit (services.members_import) runs the same analysis inside its transaction and writes it."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from unionhub.core import scope
from unionhub.core.errors import DomainError
from unionhub.core.text import fold
from unionhub.imports import parsers, selectors
from unionhub.imports.columns import BY_KEY, IGNORE, REQUIRED, UNIT_CODE, header_key, match_header
from unionhub.imports.reader import Table
from unionhub.members import identity, lifecycle
from unionhub.members.models import EventKind, IdKind, Member, MemberState
from unionhub.members.services import (
    PROFILE_FIELDS,
    _check_birth_date,
    _check_unit_takes_members,
    _clean_profile,
)
from unionhub.orgs.models import Unit

NEW, UPDATE, UNCHANGED, TRANSFER, ERROR = "new", "updated", "unchanged", "transfer", "error"
ERROR_SEV, WARNING_SEV, INFO_SEV = "error", "warning", "info"
# Field → the most characters the registry stores; longer values are refused with the limit
# (SQLite would keep them, PostgreSQL would fail the whole file).
MAX_LENGTHS = {
    name: Member._meta.get_field(name).max_length
    for name in PROFILE_FIELDS
    if getattr(Member._meta.get_field(name), "max_length", None)
}
_PARSERS: dict[str, Callable[[Any], parsers.Parsed]] = {
    "birth_date": lambda raw: parsers.parse_date(raw, allow_year=True),
    "joined": parsers.parse_date,
    "gender": parsers.parse_gender,
    "id_kind": parsers.parse_id_kind,
    "phone": parsers.parse_phone,
    "email": parsers.parse_email,
}


@dataclass
class Problem:
    row: int  # the sheet's row number as Excel shows it
    column: str  # the file's header of the offending column, "" for the whole row
    letter: str  # its column letter, "" for the whole row
    message: str
    severity: str = ERROR_SEV

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "letter": self.letter,
            "message": self.message,
            "severity": self.severity,
        }


@dataclass
class RowPlan:
    number: int
    cells: list[Any]
    action: str = NEW
    unit: Unit | None = None
    data: dict[str, Any] = field(default_factory=dict)  # cleaned profile fields + joined
    member: Member | None = None  # the existing holder, for updates and transfers
    changes: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


@dataclass
class Analysis:
    table: Table
    mapping: dict[int, str]
    unit: Unit
    rows: list[RowPlan]
    problems: list[Problem]
    ignored: list[str]

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "rows": len(self.rows),
            NEW: self.count(NEW),
            UPDATE: self.count(UPDATE),
            UNCHANGED: self.count(UNCHANGED),
            TRANSFER: self.count(TRANSFER),
            "errors": self.count(ERROR),
            "warnings": sum(1 for p in self.problems if p.severity == WARNING_SEV),
            "blank_rows": self.table.blank_rows,
        }

    def failed_rows(self) -> list[RowPlan]:
        return [row for row in self.rows if row.action == ERROR]


def layout_signature(headers: list[str]) -> str:
    """Identifies a spreadsheet layout by its folded headers, for remembered mappings."""
    return hashlib.sha256("\x1f".join(header_key(h) for h in headers).encode()).hexdigest()


def missing_required(mapping: dict[int, str]) -> list[str]:
    present = set(mapping.values())
    return [key for key in REQUIRED if key not in present]


class _Row:
    """Problems of one row, pointing at the file's own columns."""

    def __init__(self, plan: RowPlan, headers: list[str], columns: dict[str, int], out: list):
        self.plan, self.headers, self.columns, self.out = plan, headers, columns, out

    def add(self, key: str | None, message: str, severity: str = ERROR_SEV) -> None:
        index = self.columns.get(key) if key else None
        self.out.append(
            Problem(
                row=self.plan.number,
                column=self.headers[index] if index is not None else "",
                letter=get_column_letter(index + 1) if index is not None else "",
                message=message,
                severity=severity,
            )
        )
        if severity == ERROR_SEV:
            self.plan.action = ERROR
            self.plan.errors.append(
                f"{self.headers[index]}: {message}" if index is not None else message
            )


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def analyse(
    table: Table,
    *,
    mapping: dict[int, str],
    unit: Unit,
    by: Any,
    today: dt.date | None = None,
    lock: bool = False,
    advance: Callable[[int], None] | None = None,
) -> Analysis:
    """Check and classify every row of `table` for an import into `unit` by `by`. Writes
    nothing. `lock` locks the existing members found (the commit's analysis)."""
    scope.require(by, scope.REGISTRAR, unit)
    today = today or timezone.localdate()
    columns = {key: index for index, key in mapping.items()}
    targets = selectors.target_units(user=by, unit=unit)
    problems: list[Problem] = []
    plans: list[RowPlan] = []
    ignored = [
        h
        for i, h in enumerate(table.headers)
        if h and i not in mapping and match_header(h) != IGNORE
    ]
    for number, cells in table.rows:
        plan = RowPlan(number=number, cells=cells)
        _parse_row(plan, _Row(plan, table.headers, columns, problems), mapping, unit, targets)
        plans.append(plan)
        if advance:
            advance(1)
    _classify(plans, table.headers, columns, problems, today=today, lock=lock)
    problems.sort(key=lambda p: (p.row, p.letter == "", len(p.letter), p.letter))
    return Analysis(table, mapping, unit, plans, problems, ignored)


def _parse_row(
    plan: RowPlan,
    row: _Row,
    mapping: dict[int, str],
    unit: Unit,
    targets: dict[str, Unit],
) -> None:
    values: dict[str, Any] = {}
    for index, key in mapping.items():
        raw = plan.cells[index] if index < len(plan.cells) else None
        try:
            if key == "id_number":
                continue  # read after the kind, which decides how
            parsed = _PARSERS.get(key, parsers.text)(raw)
        except parsers.ValueProblem as problem:
            row.add(key, problem.message)
            continue
        values[key] = parsed.value
        for warning in parsed.warnings:
            row.add(key, warning, WARNING_SEV)
    if "id_number" in row.columns:
        index = row.columns["id_number"]
        raw = plan.cells[index] if index < len(plan.cells) else None
        try:
            parsed = parsers.parse_id_number(raw, kind=values.get("id_kind", ""))
        except parsers.ValueProblem as problem:
            row.add("id_number", problem.message)
        else:
            values["id_number"] = parsed.value
            for warning in parsed.warnings:
                row.add("id_number", warning, WARNING_SEV)
    if values.get("id_number") and not values.get("id_kind"):
        values["id_kind"] = parsers.guess_id_kind(values["id_number"])
    for key, limit in MAX_LENGTHS.items():
        if len(str(values.get(key) or "")) > limit:
            row.add(
                key,
                _("This is %(length)s characters long; at most %(limit)s fit.")
                % {"length": len(str(values[key])), "limit": limit},
            )
            values.pop(key)
    plan.unit = unit
    code = str(values.pop(UNIT_CODE, "") or "").strip().upper()
    if code:
        plan.unit = targets.get(code)
        if plan.unit is None:
            row.add(
                UNIT_CODE,
                _(
                    "There is no grassroots union with code %(code)s inside %(unit)s that you "
                    "register members for. Correct the code or leave it empty."
                )
                % {"code": code, "unit": unit.name},
            )
    if plan.action == ERROR:
        return
    joined = values.pop("joined", None)
    # Empty cells are left out: they never erase a value (see _plan_update), and what a new
    # member must have is checked in _plan_new.
    profile = {k: v for k, v in values.items() if k in PROFILE_FIELDS and v not in ("", None)}
    if not profile.get("full_name") and not profile.get("id_number"):
        row.add("full_name", _("Enter the member's full name."))
        return
    try:
        # The registry's own cleaning: NFC, document normalisation and validation.
        cleaned = _clean_profile(profile)
    except DomainError as error:
        row.add(error.field, str(error.message))
        return
    plan.data = {**cleaned, "joined": joined}
    for warning in identity.warnings(
        cleaned.get("id_kind", IdKind.CCCD),
        cleaned.get("id_number", ""),
        gender=cleaned.get("gender", ""),
        birth_date=cleaned.get("birth_date"),
    ):
        row.add("id_number", warning, WARNING_SEV)


def _row_key(plan: RowPlan) -> tuple:
    data = plan.data
    if data.get("id_number"):
        return ("id", data["id_kind"], data["id_number"])
    return ("name", plan.unit.pk, fold(data.get("full_name", "")), data.get("birth_date"))


def _classify(
    plans: list[RowPlan],
    headers: list[str],
    columns: dict[str, int],
    problems: list[Problem],
    *,
    today: dt.date,
    lock: bool,
) -> None:
    valid = [p for p in plans if p.action != ERROR]
    documents = {(p.data["id_kind"], p.data["id_number"]) for p in valid if p.data.get("id_number")}
    holders = selectors.holders_by_document(documents, lock=lock)
    former = selectors.former_by_document(documents - set(holders))
    nameless = [p for p in valid if not p.data.get("id_number")]
    by_name = selectors.holders_without_document(
        units={p.unit for p in nameless},
        names={fold(p.data.get("full_name", "")) for p in nameless},
    )
    pending = selectors.pending_transfers(m.pk for m in holders.values())
    seen: dict[tuple, RowPlan] = {}
    for plan in valid:
        row = _Row(plan, headers, columns, problems)
        key = _row_key(plan)
        first = seen.get(key)
        if first is not None:
            if first.data == plan.data and first.unit == plan.unit:
                plan.action = UNCHANGED
                row.add(
                    None,
                    _("Same as row %(row)s; imported once.") % {"row": first.number},
                    WARNING_SEV,
                )
            else:
                row.add(
                    "id_number" if key[0] == "id" else "full_name",
                    _(
                        "Row %(row)s has the same person with different details. Keep one row "
                        "per person."
                    )
                    % {"row": first.number},
                )
            continue
        seen[key] = plan
        if key[0] == "id":
            member = holders.get(key[1:])
        else:
            matches = by_name.get(key[1:], [])
            if len(matches) > 1:
                row.add(
                    "full_name",
                    _(
                        "%(count)s members of this unit have this name and date of birth and no "
                        "document number. Add the document number to tell them apart."
                    )
                    % {"count": len(matches)},
                )
                continue
            member = matches[0] if matches else None
        if member is None:
            _plan_new(plan, row, former.get(key[1:]) if key[0] == "id" else None, today)
        elif member.unit_id == plan.unit.pk:
            _plan_update(plan, row, member)
        else:
            _plan_transfer(plan, row, member, pending, today)


def _plan_new(plan: RowPlan, row: _Row, former: Member | None, today: dt.date) -> None:
    data = plan.data
    if missing := [k for k in ("full_name", "gender", "joined") if not data.get(k)]:
        for key in missing:
            row.add(
                key,
                _("A new member needs “%(column)s”; this cell is empty.")
                % {"column": BY_KEY[key].header},
            )
        return
    if former is not None and former.state == MemberState.DECEASED:
        row.add(
            "id_number",
            _("The member with this document, %(name)s of %(unit)s, is recorded as deceased.")
            % {"name": former.full_name, "unit": former.unit.name},
        )
        return
    try:
        _check_unit_takes_members(plan.unit, data["joined"])
        _check_birth_date(data.get("birth_date"), data["joined"])
        lifecycle.step(
            lifecycle.Standing(),
            lifecycle.Event(EventKind.ADMITTED, data["joined"], plan.unit.pk),
            today=today,
        )
    except DomainError as error:
        key = {"date": "joined", "unit": UNIT_CODE}.get(error.field or "", error.field)
        row.add(key, str(error.message))
        return
    plan.action = NEW
    if former is not None:
        row.add(
            "id_number",
            _(
                "%(name)s was a member of %(unit)s until %(date)s (%(state)s); a new membership "
                "starts."
            )
            % {
                "name": former.full_name,
                "unit": former.unit.name,
                "date": _fmt(former.state_since),
                "state": former.get_state_display(),
            },
            WARNING_SEV,
        )


def _plan_update(plan: RowPlan, row: _Row, member: Member) -> None:
    plan.member = member
    joined = plan.data.get("joined")
    changes = {}
    for key, value in plan.data.items():
        # Empty cells never erase what the registry holds; the document is the key.
        if key in ("joined", "id_kind", "id_number") or value in ("", None):
            continue
        if getattr(member, key) != value:
            changes[key] = value
    if "birth_date" in changes:
        try:
            _check_birth_date(changes["birth_date"], member.joined)
        except DomainError as error:
            row.add("birth_date", str(error.message))
            return
    if joined and joined != member.joined:
        row.add(
            "joined",
            _(
                "The registry has the join date %(date)s; it is kept (the join date is the "
                "admission event and is corrected on the member's page)."
            )
            % {"date": _fmt(member.joined)},
            WARNING_SEV,
        )
    plan.changes = changes
    plan.action = UPDATE if changes else UNCHANGED


def _plan_transfer(
    plan: RowPlan, row: _Row, member: Member, pending: set[int], today: dt.date
) -> None:
    plan.member = member
    if member.state != MemberState.ACTIVE:
        row.add(
            "id_number",
            _(
                "%(name)s is a suspended member of %(unit)s and cannot be transferred until the "
                "membership is resumed."
            )
            % {"name": member.full_name, "unit": member.unit.name},
        )
        return
    if member.pk in pending:
        plan.action = UNCHANGED
        row.add(
            "id_number",
            _("%(name)s, a member of %(unit)s, already has a transfer waiting for an answer.")
            % {"name": member.full_name, "unit": member.unit.name},
            WARNING_SEV,
        )
        return
    try:
        _check_unit_takes_members(plan.unit, today)
    except DomainError as error:
        row.add(UNIT_CODE, str(error.message))
        return
    plan.action = TRANSFER
    row.add(
        "id_number",
        _(
            "%(name)s is an active member of %(unit)s: a transfer to %(to)s will be requested; "
            "the member stays in %(unit)s until it is accepted."
        )
        % {"name": member.full_name, "unit": member.unit.name, "to": plan.unit.name},
        INFO_SEV,
    )
