"""The dry run: every row of a table read, checked against the registry and classified (new,
updated, unchanged, transfer, error), with each problem's row, column and fix. Reads only; the
commit (services.members_import) runs the same analysis inside its transaction and writes it.

Rows are read, checked and (by the commit) written in chunks of CHUNK_ROWS, so memory holds one
chunk, the failed rows (for the error report), the problems and one small record per row, never
the whole file as Python objects. Cell values repeat (genders, ethnicities, education levels,
dates, places): each distinct value of a column is parsed and cleaned once per file.
"""

from __future__ import annotations

import datetime as dt
import itertools
import operator
import re
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from unionhub.core import scope
from unionhub.core.errors import DomainError
from unionhub.core.text import fold, nfc
from unionhub.core.threads import read_ahead
from unionhub.core.types import User
from unionhub.imports import parsers, selectors
from unionhub.imports.cells import (
    DONE,
    FIELD_ORDER,
    JOINED,
    KIND,
    MAX_LENGTHS,
    PROFILE,
    UNIT,
    Cell,
    Column,
    length_refusal,
)
from unionhub.imports.columns import IGNORE, UNIT_CODE, by_key, match_header
from unionhub.imports.models import ImportMode
from unionhub.imports.plan import (
    ERROR,
    ERROR_SEV,
    INFO_SEV,
    NEW,
    TRANSFER,
    UNCHANGED,
    UPDATE,
    WARNING_SEV,
    Analysis,
    Problem,
    RowPlan,
)
from unionhub.imports.reader import Table
from unionhub.members import identity, lifecycle
from unionhub.members.models import SENSITIVE_FIELDS, EventKind, IdKind, Member, MemberState
from unionhub.members.services import (
    PROFILE_FIELDS,
    check_joined,
    check_unit_takes_members,
    clean_profile,
    document_lookups_record,
    lookup_limited,
    recorded_on,
)
from unionhub.orgs.models import Unit

CHUNK_ROWS = 5000
# Read by C for every cell of a row, by name: a field added to Cell cannot shift them.
_QUIET = operator.attrgetter("quiet")
_ITEM = operator.attrgetter("item")
_MISSING = object()


# Rows whose change is listed on the preview; the counts cover every row.
SHOWN_CHANGES = 500
_CHOICES = {f.name: dict(f.flatchoices) for f in Member._meta.concrete_fields if f.choices}


def _shown(value: Any, key: str = "") -> str:
    """A value as the preview shows it: dates dd/mm/yyyy, choices by their label."""
    if value in (None, ""):
        return ""
    if isinstance(value, dt.date):
        return _fmt(value)
    if key in _CHOICES:
        return str(_CHOICES[key].get(value, value))
    return str(value)


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


_WORDS = re.compile(r"[^\W\d_]+(?: [^\W\d_]+)*")
_MARKS = frozenset({"x", "v"})  # what a list ticks a column with


def _is_name_words(value: Any) -> bool:
    """Whether a cell holds words that can be part of a name: letters and spaces, not a tick."""
    if not isinstance(value, str):
        return False
    words = nfc(value)
    return bool(_WORDS.fullmatch(words)) and fold(words) not in _MARKS


def _refusal(check: Callable[..., Any], *args: Any, **kwargs: Any) -> DomainError | None:
    """The DomainError `check` raises, or None: refusals shared by many rows are kept as
    values (raising one exception instance again and again grows its traceback)."""
    try:
        check(*args, **kwargs)
    except DomainError as error:
        return error
    return None


class _Found(NamedTuple):
    """The registry's answers for one chunk's valid rows (Analyser._registry)."""

    valid: list[RowPlan]
    holders: dict[tuple[str, str], Member]
    former: dict[tuple[str, str], Member]
    by_name: dict[tuple, list[Member]]
    pending: set[int]
    refused: set[int]  # members of other unions the officer has looked up too many of


class Analyser:
    """Checks a table chunk by chunk. `chunks()` yields each chunk's checked and classified
    rows; the caller writes them (the commit) or not (the dry run) and calls `settle` before
    asking for the next; `finish()` gives the Analysis.

    Each chunk, already read and parsed, is checked against the registry in two steps: the
    registry is read (`before_check` is called first, `after_reads` after), then the rows are
    classified in Python. A caller that writes in the background waits for its writes in
    `before_check` and may start writing the previous chunk in `after_reads`: the earlier
    chunks' people need not be in the registry for the check, as every row's key (document,
    or unit, name and date of birth) is remembered across chunks, so a person twice in the
    file is caught wherever the rows are."""

    def __init__(
        self,
        table: Table,
        *,
        mapping: dict[int, str],
        unit: Unit,
        by: User,
        today: dt.date | None = None,
        mode: str = ImportMode.RECORD,
        books_open: dt.date | None = None,
        lock: bool = False,
        advance: Callable[[int], None] | None = None,
        before_check: Callable[[], None] | None = None,
        after_reads: Callable[[], None] | None = None,
    ) -> None:
        scope.require(by, scope.REGISTRAR, unit)
        self.by = by
        self.table, self.mapping, self.unit = table, mapping, unit
        self.today = today or timezone.localdate()
        # New rows are existing members recorded on the unit's books (the default: a unit's
        # list) or new members admitted on their join date.
        self.recording = mode == ImportMode.RECORD
        self.kind = EventKind.RECORDED if self.recording else EventKind.ADMITTED
        self.books_open = books_open or self.today
        self.lock = lock
        self.advance = advance or (lambda n: None)
        self.before_check = before_check or (lambda: None)
        self.after_reads = after_reads or (lambda: None)
        self.headers = table.headers
        self.columns = {key: index for index, key in mapping.items()}
        self.name_rest = self._name_rest()
        self.letters = {index: get_column_letter(index + 1) for index in mapping}
        self.targets = selectors.target_units(user=by, unit=unit)
        self.readers = [
            Column(i, key, today=self.today) for i, key in mapping.items() if key != "id_number"
        ]
        roles = [column.role for column in self.readers]
        # Columns an upper app records (consents…): (reader's position, key).
        self.done_at = [(i, c.key) for i, c in enumerate(self.readers) if c.role is DONE]
        self.profile_at = [i for i, role in enumerate(roles) if role in (PROFILE, KIND)]
        self.kind_at, self.joined_at, self.unit_at = (
            roles.index(role) if role in roles else None for role in (KIND, JOINED, UNIT)
        )
        self.rows: list[RowPlan] = []
        self.problems: list[Problem] = []
        self.ignored = [
            h
            for i, h in enumerate(table.headers)
            if h and i not in mapping and match_header(h) != IGNORE
        ]
        # Row key → (first row's number, its values, its unit id), across chunks.
        self.seen: dict[tuple, tuple[int, tuple, int]] = {}
        self.admissions: dict[
            tuple[int, dt.date], tuple[DomainError | None, DomainError | None]
        ] = {}
        self.fields = (*PROFILE_FIELDS, "joined")
        self.missing = (_MISSING,) * len(self.fields)
        self.consumed = 0  # sheet rows below the header read so far, blank ones included
        self.changes: list[dict[str, Any]] = []  # the first rows that change the registry
        self.recorded: dict[str, int] = {}  # contributed column → records written (commit)

    # Problems ------------------------------------------------------------------------------

    def add(self, plan: RowPlan, key: str | None, message: str, severity: str = ERROR_SEV):
        index = self.columns.get(key) if key else None
        header = self.headers[index] if index is not None else ""
        self.problems.append(
            Problem(
                row=plan.number,
                column=header,
                letter=self.letters[index] if index is not None else "",
                message=message,
                severity=severity,
            )
        )
        if severity == ERROR_SEV:
            plan.action = ERROR
            plan.errors.append(f"{header}: {message}" if index is not None else message)

    # Chunks --------------------------------------------------------------------------------

    def chunks(self) -> Iterator[list[RowPlan]]:
        # The next chunk is read and parsed (Python alone) in a thread while this one is
        # checked against the registry and written.
        for plans in read_ahead(self._parsed_chunks()):
            self.before_check()
            found = self._registry(plans)
            self.after_reads()
            self._classify(plans, found)
            self.rows.extend(plans)
            yield plans
        if self.consumed < self.table.size:
            self.advance(self.table.size - self.consumed)  # blank rows at the end
            self.consumed = self.table.size

    def _parsed_chunks(self) -> Iterator[list[RowPlan]]:
        """Each chunk's rows read and checked on their own, without the database."""
        rows = self.table.rows
        header = self.table.header_row
        while chunk := list(itertools.islice(rows, CHUNK_ROWS)):
            # Column by column, each distinct value converted once; then row by row.
            whole = (
                [(n, self._whole_name(cells)) for n, cells in chunk] if self.name_rest else chunk
            )
            read = [
                column.read(whole if column.key == "full_name" else chunk)
                for column in self.readers
            ]
            rows_read = zip(*read, strict=True)
            profiles = zip(*(read[i] for i in self.profile_at), strict=True)
            plans = []
            for (number, cells), row, profile in zip(chunk, rows_read, profiles, strict=True):
                plan = RowPlan(number=number, cells=cells, unit=self.unit)
                self._parse_row(plan, row, profile)
                plans.append(plan)
                self.advance(number - header - self.consumed)
                self.consumed = number - header
            yield plans

    def _name_rest(self) -> list[int]:
        """The columns after the name's that have no header of their own: where "Họ và tên" is
        merged over two or three columns ("Nguyễn Văn" | "Hùng"), the rest of each name."""
        rest: list[int] = []
        at = self.columns.get("full_name")
        if at is None:
            return rest
        for index in range(at + 1, len(self.headers)):
            if self.headers[index] or index in self.mapping:
                break
            rest.append(index)
        return rest

    def _whole_name(self, cells: list[Any]) -> list[Any]:
        """The row with its name column holding the whole name: the words in the headerless
        columns after it joined on (words only: a mark, a number or a date there is not part of
        a name). The row's own cells, kept for the error report, are not changed."""
        words = [
            cells[index]
            for index in self.name_rest
            if index < len(cells) and _is_name_words(cells[index])
        ]
        if not words:
            return cells
        joined = list(cells)
        at = self.columns["full_name"]
        joined[at] = " ".join([str(cells[at] or "").strip(), *words])
        return joined

    def settle(self, plans: list[RowPlan]) -> None:
        """Note who is added, updated or asked for (the first SHOWN_CHANGES, for the preview),
        then let the rows go."""
        for plan in plans:
            if plan.action in (NEW, UPDATE, TRANSFER) and len(self.changes) < SHOWN_CHANGES:
                self.changes.append(self._change(plan))
            plan.settle()

    def _change(self, plan: RowPlan) -> dict[str, Any]:
        if plan.action == NEW:
            data = plan.data
            return {
                "row": plan.number,
                "action": NEW,
                "name": data.get("full_name", ""),
                "birth_date": _shown(data.get("birth_date")),
                "unit": plan.unit.name,
            }
        member = plan.holder
        if plan.action == TRANSFER:
            seen = self.sees(member)
            return {
                "row": plan.number,
                "action": TRANSFER,
                "name": member.full_name if seen else "",
                "from": member.unit.name if seen else "",
                "unit": plan.unit.name,
            }
        fields = [
            # Sensitive values (ethnicity, religion) are not put on the preview: the change
            # is named, the values stay behind the logged view of the member page.
            [key, "", ""]
            if key in SENSITIVE_FIELDS
            else [key, _shown(getattr(member, key), key), _shown(value, key)]
            for key, value in sorted(
                plan.changes.items(), key=lambda kv: FIELD_ORDER.get(kv[0], 99)
            )
        ]
        return {
            "row": plan.number,
            "action": UPDATE,
            "name": member.full_name,
            "unit": member.unit.name,
            "fields": fields,
        }

    def finish(self) -> Analysis:
        self.problems.sort(key=lambda p: (p.row, p.letter == "", len(p.letter), p.letter))
        return Analysis(
            self.table,
            self.mapping,
            self.unit,
            self.rows,
            self.problems,
            self.ignored,
            self.changes,
            self.recorded,
        )

    # One row -------------------------------------------------------------------------------

    def _parse_row(self, plan: RowPlan, row: tuple[Cell, ...], profile: tuple) -> None:
        """Check one row from its converted cells (`row`, one per reader; `profile`, the
        (field, value) items of its profile and kind columns)."""
        cells = plan.cells
        kind = joined = code = None
        # Every refusal of the row is shown, not only the first: a bad document must not hide
        # a birth date in the future.
        refusals: list[DomainError] = []
        too_long: list[tuple[int, str, str]] = []
        if all(map(_QUIET, row)):
            data: dict[str, Any] = dict(filter(None, map(_ITEM, profile)))
            kind = row[self.kind_at].value if self.kind_at is not None else None
            joined = row[self.joined_at].value if self.joined_at is not None else None
            code = row[self.unit_at].value if self.unit_at is not None else None
        else:
            data = {}
            for column, cell in zip(self.readers, row, strict=True):
                value, problems, failed, long, _filled, _cleaned, clean_error, _quiet, item = cell
                for severity, message in problems:
                    self.add(plan, column.key, message, severity)
                if failed:
                    continue
                if long is not None:
                    too_long.append((FIELD_ORDER[column.key], column.key, long))
                    continue
                if item is not None:
                    data[item[0]] = item[1]
                if clean_error is not None:
                    refusals.append(clean_error)
                if column.role is KIND:
                    kind = value
                elif column.role is JOINED:
                    joined = value
                elif column.role is UNIT:
                    code = value
        number = self._document_number(plan, cells, kind or "", too_long)
        if number and not kind:
            kind = parsers.guess_id_kind(number)
        for _order, key, message in sorted(too_long):  # in the registry's field order
            self.add(plan, key, message)
        code = str(code or "").strip().upper()
        if code:
            target = self.targets.get(code)
            if target is not None:
                plan.unit = target
            else:
                self.add(
                    plan,
                    UNIT_CODE,
                    _(
                        "There is no grassroots union with code %(code)s inside %(unit)s that "
                        "you register members for. Correct the code or leave it empty."
                    )
                    % {"code": code, "unit": self.unit.name},
                )
        if "full_name" not in data and not number:
            self.add(plan, "full_name", _("Enter the member's full name."))
        # clean_profile of the row, from each value cleaned once per distinct cell: the
        # document (kind and number together) is cleaned per row, and first, as clean_profile
        # does it.
        if kind or number:
            document = {"id_kind": kind} if kind else {}
            if number:
                document["id_number"] = number
            try:
                data.update(clean_profile(document))
            except DomainError as error:
                refusals.append(error)
        for refusal in refusals:
            self.add(plan, refusal.field, str(refusal.message))
        if plan.action == ERROR:
            # The row is refused already; the person's dates are still checked so that the
            # officer fixes everything in one go (a valid row has them checked when planned).
            born = data.get("birth_date")
            if (
                joined is not None
                and isinstance(born, dt.date)
                and (late := _refusal(check_joined, born, joined, today=self.today))
            ):
                self.add(plan, late.field, str(late.message))
            return
        data["joined"] = joined
        plan.data = data
        if self.done_at:
            plan.extras = {key: row[i].value for i, key in self.done_at if row[i].value is not None}
        for warning in identity.warnings(
            data.get("id_kind", IdKind.CCCD),
            data.get("id_number", ""),
            gender=data.get("gender", ""),
            birth_date=data.get("birth_date"),
        ):
            self.add(plan, "id_number", warning, WARNING_SEV)

    def _document_number(self, plan: RowPlan, cells: list[Any], kind: str, too_long: list) -> str:
        """The row's document number, read as `kind` says ("" when absent or refused)."""
        index = self.columns.get("id_number")
        if index is None:
            return ""
        try:
            parsed = parsers.parse_id_number(
                cells[index] if index < len(cells) else None, kind=kind
            )
        except parsers.ValueProblem as problem:
            self.add(plan, "id_number", problem.message)
            return ""
        for warning in parsed.warnings:
            self.add(plan, "id_number", warning, WARNING_SEV)
        limit = MAX_LENGTHS["id_number"]
        if len(parsed.value) > limit:
            too_long.append(
                (FIELD_ORDER["id_number"], "id_number", length_refusal(parsed.value, limit))
            )
            return ""
        return parsed.value

    def _key(self, plan: RowPlan) -> tuple:
        data = plan.data
        if data.get("id_number"):
            return ("id", data["id_kind"], data["id_number"])
        return ("name", plan.unit.pk, fold(data.get("full_name", "")), data.get("birth_date"))

    def _fingerprint(self, plan: RowPlan) -> tuple:
        return tuple(map(plan.data.get, self.fields, self.missing))

    # Against the registry ------------------------------------------------------------------

    def _registry(self, plans: list[RowPlan]) -> _Found:
        """What the registry holds for the chunk's valid rows (one query of each kind)."""
        valid = [p for p in plans if p.action != ERROR]
        documents = {
            (p.data["id_kind"], p.data["id_number"]) for p in valid if p.data.get("id_number")
        }
        holders, former = selectors.members_by_document(documents, lock=self.lock)
        nameless = [p for p in valid if not p.data.get("id_number")]
        by_name = selectors.holders_without_document(
            units={p.unit for p in nameless},
            names={fold(p.data.get("full_name", "")) for p in nameless},
        )
        pending = selectors.pending_transfers(m.pk for m in holders.values())
        # The file's document numbers are look-ups like those typed on the admit form: the
        # members they find outside the officer's units are audited and counted.
        refused = document_lookups_record(
            by=self.by, members=[*holders.values(), *former.values()], via="import"
        )
        return _Found(valid, holders, former, by_name, pending, refused)

    def _classify(self, plans: list[RowPlan], found: _Found) -> None:
        valid, holders, former, by_name, pending, refused = found
        for plan in valid:
            key = self._key(plan)
            first = self.seen.get(key)
            if first is not None:
                number, fingerprint, unit_id = first
                if fingerprint == self._fingerprint(plan) and unit_id == plan.unit.pk:
                    plan.action = UNCHANGED
                    self.add(
                        plan,
                        None,
                        _("Same as row %(row)s; imported once.") % {"row": number},
                        WARNING_SEV,
                    )
                else:
                    self.add(
                        plan,
                        "id_number" if key[0] == "id" else "full_name",
                        _(
                            "Row %(row)s has the same person with different details. Keep one "
                            "row per person."
                        )
                        % {"row": number},
                    )
                continue
            self.seen[key] = (plan.number, self._fingerprint(plan), plan.unit.pk)
            if key[0] == "id":
                member = holders.get(key[1:])
            else:
                matches = by_name.get(key[1:], [])
                if len(matches) > 1:
                    self.add(
                        plan,
                        "full_name",
                        _(
                            "%(count)s members of this unit have this name and date of birth. "
                            "Add the document number to tell them apart."
                        )
                        % {"count": len(matches)},
                    )
                    continue
                member = matches[0] if matches else None
            earlier = former.get(key[1:]) if key[0] == "id" else None
            known = member or earlier
            if known is not None and known.pk in refused:
                self.add(plan, "id_number", str(lookup_limited().message))
            elif member is None:
                self._plan_new(plan, earlier)
            elif key[0] == "id" and self._names_someone_else(plan, member):
                continue
            elif member.unit_id == plan.unit.pk:
                self._plan_update(plan, member)
            else:
                self._plan_transfer(plan, member, pending)

    def _first_event_refusals(
        self, unit: Unit, on: dt.date
    ) -> tuple[DomainError | None, DomainError | None]:
        """Whether `unit` may take a new member on `on`, by the unit's rules and by the state
        machine's: the same for every row with that unit and date, so asked once each."""
        key = (unit.pk, on)
        if key not in self.admissions:
            event = lifecycle.Event(self.kind, on, unit.pk)
            self.admissions[key] = (
                _refusal(check_unit_takes_members, unit, on, recording=self.recording),
                _refusal(lifecycle.step, lifecycle.Standing(), event, today=self.today),
            )
        return self.admissions[key]

    def _plan_new(self, plan: RowPlan, former: Member | None) -> None:
        data = plan.data
        if missing := [k for k in ("full_name", "gender", "joined") if not data.get(k)]:
            for key in missing:
                self.add(
                    plan,
                    key,
                    _("A new member needs “%(column)s”; this cell is empty.")
                    % {"column": by_key()[key].header},
                )
            return
        if former is not None and former.state == MemberState.DECEASED:
            self.add(
                plan,
                "id_number",
                _("The member with this document, %(name)s of %(unit)s, is recorded as deceased.")
                % {"name": former.full_name, "unit": former.unit.name}
                if self.sees(former)
                else _("The member with this document is recorded as deceased."),
            )
            return
        joined = data["joined"]
        on = recorded_on(joined, self.books_open) if self.recording else joined
        unit_refusal, history_refusal = self._first_event_refusals(plan.unit, on)
        # member_admit's and member_record's order: the person's dates, the unit, the history;
        # each refusal shown (the same message once).
        errors = [
            error
            for error in (
                _refusal(check_joined, data.get("birth_date"), joined, today=self.today),
                unit_refusal,
                history_refusal,
            )
            if error is not None
        ]
        shown = set()
        for error in errors:
            if str(error.message) in shown:
                continue
            shown.add(str(error.message))
            # A recorded member's event date is the books-open date, not a cell of the row.
            date_key = None if self.recording else "joined"
            column = {"date": date_key, "unit": UNIT_CODE}.get(error.field or "", error.field)
            self.add(plan, column, str(error.message))
        if errors:
            return
        plan.on = on
        plan.action = NEW
        if former is not None and not self.sees(former):
            self.add(
                plan,
                "id_number",
                _(
                    "This document belonged to a former member of another union; a new "
                    "membership starts."
                ),
                WARNING_SEV,
            )
        elif former is not None:
            self.add(
                plan,
                "id_number",
                _(
                    "%(name)s was a member of %(unit)s until %(date)s (%(state)s); a new "
                    "membership starts."
                )
                % {
                    "name": former.full_name,
                    "unit": former.unit.name,
                    "date": _fmt(former.state_since),
                    "state": former.get_state_display(),
                },
                WARNING_SEV,
            )

    def _names_someone_else(self, plan: RowPlan, member: Member) -> bool:
        """Whether the row names another person than the holder of its document (another
        name, and another date of birth or gender): a mistyped number. The row is refused
        (with the holder named where the officer may see them): taken for the holder, it
        would rename them, or ask for their transfer. Another name alone is a correction."""
        name = plan.data.get("full_name")
        if not name or fold(name) == member.name_folded:
            return False
        if not any(
            plan.data.get(key) not in ("", None)
            and getattr(member, key) not in ("", None)
            and plan.data[key] != getattr(member, key)
            for key in ("birth_date", "gender")
        ):
            return False
        self.add(
            plan,
            "id_number",
            _(
                "This document number is %(name)s's, whose date of birth or gender differs "
                "from this row's: check the number."
            )
            % {"name": member.full_name}
            if self.sees(member)
            else _(
                "This document number belongs to a member of another union whose date of "
                "birth or gender differs from this row's: check the number."
            ),
        )
        return True

    def _plan_update(self, plan: RowPlan, member: Member) -> None:
        plan.member = member
        joined = plan.data.get("joined")
        changes = {}
        for key, value in plan.data.items():
            # Empty cells never erase what the registry holds; the document is the key.
            if key in ("id_kind", "id_number") or value in ("", None):
                continue
            if getattr(member, key) != value:
                changes[key] = value
        if "birth_date" in changes or "joined" in changes:
            birth_date = changes.get("birth_date", member.birth_date)
            try:
                check_joined(birth_date, joined or member.joined, today=self.today)
            except DomainError as error:
                self.add(plan, error.field, str(error.message))
                return
        plan.changes = changes
        plan.action = UPDATE if changes else UNCHANGED

    def _plan_transfer(self, plan: RowPlan, member: Member, pending: set[int]) -> None:
        plan.member = member
        seen = self.sees(member)
        names = {"name": member.full_name, "unit": member.unit.name, "to": plan.unit.name}
        if member.state != MemberState.ACTIVE:
            self.add(
                plan,
                "id_number",
                _(
                    "%(name)s is a suspended member of %(unit)s and cannot be transferred until "
                    "the membership is resumed."
                )
                % names
                if seen
                else _(
                    "This document belongs to a suspended member of another union, who cannot "
                    "be transferred until the membership is resumed."
                ),
            )
            return
        if member.pk in pending:
            plan.action = UNCHANGED
            self.add(
                plan,
                "id_number",
                _("%(name)s, a member of %(unit)s, already has a transfer waiting for an answer.")
                % names
                if seen
                else _(
                    "This document belongs to a member of another union who already has a "
                    "transfer waiting for an answer."
                ),
                WARNING_SEV,
            )
            return
        try:
            check_unit_takes_members(plan.unit, self.today)
        except DomainError as error:
            self.add(plan, UNIT_CODE, str(error.message))
            return
        plan.action = TRANSFER
        if plan.extras:
            self.add(
                plan,
                next(iter(plan.extras)),
                _(
                    "Not recorded for a member asked for by transfer: record it on the member's "
                    "page once the transfer is accepted."
                ),
                WARNING_SEV,
            )
        self.add(
            plan,
            "id_number",
            _(
                "%(name)s is an active member of %(unit)s: a transfer to %(to)s will be "
                "requested; the member stays in %(unit)s until it is accepted."
            )
            % names
            if seen
            else _(
                "This document belongs to an active member of another union: a transfer to "
                "%(to)s will be requested; the member stays in their union until it is "
                "accepted."
            )
            % names,
            INFO_SEV,
        )

    def sees(self, member: Member) -> bool:
        """Whether the officer may see `member` anyway: only then are the member's name and
        union in the preview."""
        return scope.can(self.by, None, member.unit)


def analyse(
    table: Table,
    *,
    mapping: dict[int, str],
    unit: Unit,
    by: User,
    today: dt.date | None = None,
    mode: str = ImportMode.RECORD,
    books_open: dt.date | None = None,
    lock: bool = False,
    advance: Callable[[int], None] | None = None,
) -> Analysis:
    """Check and classify every row of `table` for an import into `unit` by `by`. Writes
    nothing. `lock` locks the existing members found."""
    analyser = Analyser(
        table,
        mapping=mapping,
        unit=unit,
        by=by,
        today=today,
        mode=mode,
        books_open=books_open,
        lock=lock,
        advance=advance,
    )
    for plans in analyser.chunks():
        analyser.settle(plans)
    return analyser.finish()
