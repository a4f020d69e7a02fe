"""What the dry run makes of a file: each row's plan (its action, unit, cleaned data and the
member it concerns), the problems found with their row, column and fix, and the whole analysis
with its counts. Plain data; the pipeline fills it, the commit and the error report read it."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from unionhub.imports.reader import Table
from unionhub.members.models import Member
from unionhub.orgs.models import Unit

NEW, UPDATE, UNCHANGED, TRANSFER, ERROR = "new", "updated", "unchanged", "transfer", "error"
ERROR_SEV, WARNING_SEV, INFO_SEV = "error", "warning", "info"


@dataclass(slots=True)
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


@dataclass(slots=True)
class RowPlan:
    number: int
    cells: list[Any]
    # The import's unit, or the grassroots union the row's unit code names inside it.
    unit: Unit
    action: str = NEW
    data: dict[str, Any] = field(default_factory=dict)  # cleaned profile fields + joined
    # A new member's first event: admitted on `joined`, or recorded on the day the unit's
    # books take them (see Analyser). Its date opens the membership period.
    on: dt.date | None = None
    member: Member | None = None  # the existing holder, for updates and transfers
    changes: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    # The dates of the columns upper apps record (core.registry import_columns), by key.
    extras: dict[str, dt.date] = field(default_factory=dict)

    def member_recorded(self, new_id: int | None) -> int | None:
        """The member of the import's unit this row stands for once written (`new_id`: the
        id given to a new member), whose extra columns are recorded; None for a member asked
        for by transfer, a repeated row or a failed one."""
        if self.action == NEW:
            return new_id
        if self.action in (UPDATE, UNCHANGED) and self.member is not None:
            return self.member.pk if self.member.unit_id == self.unit.pk else None
        return None

    @property
    def holder(self) -> Member:
        """The existing member an update or a transfer concerns."""
        if self.member is None:
            raise LookupError(f"Row {self.number} concerns no existing member.")
        return self.member

    def settle(self) -> None:
        """Keep only what the counts and the error report need once the row is written (or,
        in a dry run, checked): its number and action, and the cells of a failed row."""
        if self.action != ERROR:
            self.cells = _NO_CELLS
        self.data = self.changes = self.extras = _NO_DATA
        self.member = None


_NO_CELLS: list[Any] = []
_NO_DATA: dict[str, Any] = {}


@dataclass
class Analysis:
    table: Table
    mapping: dict[int, str]
    unit: Unit
    rows: list[RowPlan]
    problems: list[Problem]
    ignored: list[str]
    changes: list[dict[str, Any]] = field(default_factory=list)
    recorded: dict[str, int] = field(default_factory=dict)  # contributed column → records

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def counts(self) -> dict[str, int]:
        actions = Counter(row.action for row in self.rows)
        return {
            "rows": len(self.rows),
            NEW: actions[NEW],
            UPDATE: actions[UPDATE],
            UNCHANGED: actions[UNCHANGED],
            TRANSFER: actions[TRANSFER],
            "errors": actions[ERROR],
            "warnings": sum(1 for p in self.problems if p.severity == WARNING_SEV),
            "blank_rows": self.table.blank_rows,
        }

    def failed_rows(self) -> list[RowPlan]:
        return [row for row in self.rows if row.action == ERROR]
