"""The dry run and the commit of a checked file into the member registry, all-or-nothing.

New people are written in bulk (services.admissions); updates and transfers go through
members.services itself, one row each, a refusal failing that row only."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from unionhub.audit.services import log
from unionhub.core.errors import DomainError
from unionhub.core.types import User
from unionhub.imports import bulk, pipeline, report
from unionhub.imports.actions import Action
from unionhub.imports.columns import contributed
from unionhub.imports.models import (
    ImportBatch,
    ImportMode,
)
from unionhub.imports.plan import ERROR, NEW, TRANSFER, UPDATE, Analysis, Problem, RowPlan
from unionhub.imports.reader import Table
from unionhub.imports.services.admissions import members_bulk_create
from unionhub.members.services import (
    member_update,
)
from unionhub.members.services import transfer_request as members_transfer_request
from unionhub.orgs.models import Unit


@dataclass
class Outcome:
    analysis: Analysis
    committed: bool
    member_ids: list[int] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return self.analysis.counts

    def summary_line(self) -> str:
        counts = self.counts
        return _(
            "%(rows)s rows: %(new)s new, %(updated)s updated, %(unchanged)s unchanged, "
            "%(transfer)s transfer requests, %(errors)s errors, %(warnings)s warnings"
        ) % {key: counts[key] for key in counts}


def import_check(
    *,
    table: Table,
    unit: Unit,
    by: User,
    mapping: dict[int, str],
    mode: str = ImportMode.RECORD,
    books_open: dt.date | None = None,
    advance: Callable[[int], None] | None = None,
) -> Outcome:
    """The dry run: the analysis, nothing written (not even a transaction is opened, so a long
    check never holds the database's write lock)."""
    analysis = pipeline.analyse(
        table,
        mapping=mapping,
        unit=unit,
        by=by,
        mode=mode,
        books_open=books_open,
        advance=advance,
    )
    return Outcome(analysis=analysis, committed=False)


@transaction.atomic
def members_import(
    *,
    table: Table,
    unit: Unit,
    by: User,
    mapping: dict[int, str],
    filename: str,
    mode: str = ImportMode.RECORD,
    books_open: dt.date | None = None,
    advance: Callable[[int], None] | None = None,
) -> Outcome:
    """Import the rows of `table` into `unit`: new people recorded as existing members on the
    unit's books from `books_open` (default today) or, with `mode` ADMIT, admitted as new
    members on their join date; changed ones updated,
    members of other units asked for by transfer request; rows with errors are left out (see
    the error report). One transaction: any failure midway leaves the database as before.

    The rows are checked and written chunk by chunk inside that transaction; every chunk is
    checked against the registry as it stood before the import, and a person in two chunks is
    caught as in one (pipeline.Analyser remembers every row's key), so the outcome is the one
    of checking the whole file first. `advance` counts two passes over the rows: the check,
    then the writes."""
    step = advance or (lambda n: None)
    today = timezone.localdate()
    ids: list[int] = []
    # (member id, date) per contributed column (consents…), recorded once the members exist.
    extras: defaultdict[str, list[tuple[int, dt.date]]] = defaultdict(list)
    written = 0
    # Three things at once: the next chunk is read and parsed in one thread; a chunk's rows
    # are inserted in another, started once the registry has been read for the chunk after
    # it (after_reads), while that one is classified and its rows are built here.
    with bulk.large_writes(), bulk.Writer() as writer:
        analyser = pipeline.Analyser(
            table,
            mapping=mapping,
            unit=unit,
            by=by,
            mode=mode,
            books_open=books_open,
            lock=True,
            advance=step,
            before_check=writer.wait,
            after_reads=writer.apply,
        )
        for plans in analyser.chunks():
            new = [plan for plan in plans if plan.action == NEW]
            created = members_bulk_create(
                plans=new, kind=analyser.kind, by=by, source=filename, writer=writer
            )
            ids += created
            for plan in plans:
                if plan.action == UPDATE:
                    writer.wait()
                    _write_row(analyser, plan, lambda p: _update(p, by))
                elif plan.action == TRANSFER:
                    writer.wait()
                    _write_row(analyser, plan, lambda p: _transfer(p, by, today, filename))
            if analyser.done_at:
                new_ids = {plan.number: pk for plan, pk in zip(new, created, strict=True)}
                for plan in plans:
                    member_id = plan.member_recorded(new_ids.get(plan.number))
                    if plan.extras and member_id is not None:
                        for key, day in plan.extras.items():
                            extras[key].append((member_id, day))
            analyser.settle(plans)
            step(analyser.consumed - written)
            written = analyser.consumed
    step(analyser.consumed - written)  # blank rows at the end of the sheet
    # After the writer has finished: the new members' rows exist for the records to name.
    columns = contributed()
    for key, values in extras.items():
        analyser.recorded[key] = columns[key].record(values, unit=unit, by=by, source=filename)
    analysis = analyser.finish()
    log(
        by,
        Action.MEMBERS_IMPORTED,
        unit,
        {"file": filename, "counts": analysis.counts, "recorded": analysis.recorded},
    )
    return Outcome(analysis=analysis, committed=True, member_ids=ids)


def _write_row(
    analyser: pipeline.Analyser, plan: RowPlan, write: Callable[[RowPlan], None]
) -> None:
    """Write one row through the members services; a refusal (the registry changed since the
    check) fails that row only: the service's savepoint undoes its part."""
    try:
        write(plan)
    except DomainError as error:
        plan.action = ERROR
        plan.errors.append(str(error.message))
        analyser.problems.append(
            Problem(row=plan.number, column="", letter="", message=str(error.message))
        )


def _update(plan: RowPlan, by: User) -> None:
    member = plan.holder
    member_update(member=member, by=by, version=member.version, **plan.changes)


def _transfer(plan: RowPlan, by: User, today: dt.date, filename: str) -> None:
    members_transfer_request(
        member=plan.holder,
        to_unit=plan.unit,
        effective=today,
        by=by,
        note=_("Import of %(file)s, row %(row)s") % {"file": filename, "row": plan.number},
    )


def report_to_batch(batch: ImportBatch, outcome: Outcome) -> None:
    """Keep the figures, the first problems and the error report on the batch."""
    batch.summary = report.summary(outcome.analysis)
    if batch.error_report:
        batch.error_report.delete(save=False)
    if outcome.analysis.failed_rows():
        with tempfile.TemporaryFile() as out:
            report.write_error_report(outcome.analysis, out)
            out.seek(0)
            batch.error_report.save("errors.xlsx", File(out), save=False)
