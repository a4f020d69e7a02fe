"""Every write of the imports app: uploads, column mappings, the commit of a file into the
member registry (all-or-nothing), photo archives and the template-layout export.

The commit's bulk write path keeps the registry's invariants exactly as members.services does
for one member (tests/imports/test_equivalence.py holds them side by side): the admission event,
the open membership period, the cached state, completeness, the name fields Member.save derives,
the search index (kept by the database from the generated column), the audit row per member and
the membership_changed signal. Updates and transfers go through members.services itself.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import tempfile
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.base import ModelState
from django.utils import timezone
from django.utils.translation import gettext as _

from unionhub.audit.models import AuditEvent
from unionhub.audit.services import log, log_many
from unionhub.core import jobs, scope, uploads
from unionhub.core.errors import DomainError
from unionhub.core.text import fold, nfc, split_full_name, word_sort_key
from unionhub.core.xlsx import write_xlsx
from unionhub.imports import bulk, pipeline, report, selectors
from unionhub.imports.actions import Action
from unionhub.imports.columns import COLUMNS, UNIT_CODE
from unionhub.imports.models import (
    CANCELLABLE,
    BatchStatus,
    ColumnMapping,
    ImportBatch,
    ImportMode,
)
from unionhub.imports.reader import Table, auto_mapping, read_table
from unionhub.members import signals
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
    check_unit_takes_members,
    member_photo_set,
    member_update,
)
from unionhub.members.services import transfer_request as members_transfer_request
from unionhub.orgs.models import Unit

PREVIEW_JOB = "imports.preview"
COMMIT_JOB = "imports.commit"
PHOTOS_JOB = "imports.photos"
EXPORT_JOB = "imports.export"
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png")


def _actor_id(by: Any) -> int | None:
    return by.pk if getattr(by, "is_authenticated", False) else None


# Upload and mapping -------------------------------------------------------------------------


@transaction.atomic
def import_upload(
    *,
    unit: Unit,
    by: Any,
    upload: Any,
    language: str = "vi",
    mode: str = ImportMode.RECORD,
    books_open: dt.date | None = None,
) -> ImportBatch:
    """Store an uploaded spreadsheet for `unit` and start its dry run, or stop at the column
    mapping step when the required columns are not recognised (nor remembered for the unit).
    `mode`: the file's new people are existing members recorded on the unit's books from
    `books_open` (default: the day of the import), or new members admitted."""
    scope.require(by, scope.REGISTRAR, unit)
    if mode not in ImportMode.values:
        raise DomainError("import_mode", _("Choose whether the file records or admits members."))
    if books_open is not None:
        if books_open > timezone.localdate():
            raise DomainError(
                "books_open_in_future",
                _("The books-open date is in the future."),
                field="books_open",
            )
        if mode == ImportMode.RECORD:
            check_unit_takes_members(unit, books_open, recording=True)
    uploads.check_size(upload, uploads.MEMBER_IMPORT, field="file")
    data = upload.read(uploads.max_bytes(uploads.MEMBER_IMPORT) + 1)
    uploads.check_size(data, uploads.MEMBER_IMPORT, field="file")
    filename = PurePosixPath(getattr(upload, "name", "") or "upload").name[:255]
    table = read_table(data, filename)
    mapping = _known_mapping(unit, table)
    batch = ImportBatch(
        unit=unit,
        owner=by,
        filename=filename,
        headers=table.headers,
        mapping=mapping,
        mode=mode,
        books_open=books_open if mode == ImportMode.RECORD else None,
    )
    batch.source.save(filename, ContentFile(data), save=False)
    try:
        if pipeline.missing_required(mapping):
            batch.status = BatchStatus.NEEDS_MAPPING
            batch.save()
        else:
            batch.save()
            _start(batch, PREVIEW_JOB, by, language)
    except Exception:
        batch.source.delete(save=False)  # files are not transactional: no row, no file
        raise
    log(
        by,
        Action.BATCH_UPLOADED,
        batch,
        {"unit": unit.code, "file": filename, "mode": mode, "books_open": batch.books_open},
    )
    return batch


def _known_mapping(unit: Unit, table: Table) -> dict[str, str]:
    remembered = selectors.saved_mapping(
        unit=unit, signature=pipeline.layout_signature(table.headers)
    )
    if remembered is not None:
        return remembered
    return {str(index): key for index, key in auto_mapping(table.headers).items()}


def _start(batch: ImportBatch, kind: str, by: Any, language: str) -> None:
    titles = {
        PREVIEW_JOB: _("Checking %(file)s"),
        COMMIT_JOB: _("Importing %(file)s"),
    }
    job = jobs.job_start(
        kind=kind,
        title=titles[kind] % {"file": batch.filename},
        owner=by,
        params={"batch": batch.pk, "language": language},
    )
    batch.job = job
    batch.status = BatchStatus.ANALYSING if kind == PREVIEW_JOB else BatchStatus.COMMITTING
    batch.save(update_fields=["job", "status"])


@transaction.atomic
def import_map(
    *, batch: ImportBatch, by: Any, mapping: dict[int, str], language: str = "vi"
) -> ImportBatch:
    """Match the file's columns to fields by hand; the unit remembers it for files of the same
    layout. Starts the dry run."""
    scope.require(by, scope.REGISTRAR, batch.unit)
    if batch.status in (BatchStatus.COMMITTING, BatchStatus.DONE):
        raise DomainError("batch_closed", _("This file was already imported."))
    chosen = {index: key for index, key in mapping.items() if key}
    keys = list(chosen.values())
    if duplicates := sorted({k for k in keys if keys.count(k) > 1}):
        labels = ", ".join(str(c.label) for c in COLUMNS if c.key in duplicates)
        raise DomainError(
            "mapping_duplicate", _("Each field can come from one column only: %s.") % labels
        )
    if missing := pipeline.missing_required(chosen):
        labels = ", ".join(str(c.label) for c in COLUMNS if c.key in missing)
        raise DomainError("mapping_incomplete", _("Choose the columns for: %s.") % labels)
    stored = {str(index): key for index, key in chosen.items()}
    ColumnMapping.objects.update_or_create(
        unit=batch.unit,
        signature=pipeline.layout_signature(batch.headers),
        defaults={"mapping": stored},
    )
    batch.mapping = stored
    batch.save(update_fields=["mapping"])
    log(by, Action.MAPPING_SAVED, batch.unit, {"mapping": stored, "file": batch.filename})
    _start(batch, PREVIEW_JOB, by, language)
    return batch


@transaction.atomic
def import_cancel(*, batch: ImportBatch, by: Any) -> ImportBatch:
    """Drop a checked file that is not to be imported: nothing of it was written, and its
    uploaded file and error report (personal data) are deleted once the cancel commits."""
    scope.require(by, scope.REGISTRAR, batch.unit)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status not in CANCELLABLE:
        raise DomainError(
            "batch_not_cancellable",
            _("This file cannot be cancelled now (%(status)s).")
            % {"status": batch.get_status_display()},
        )
    files = [f.name for f in (batch.source, batch.error_report) if f]
    batch.status = BatchStatus.CANCELLED
    batch.save(update_fields=["status"])
    log(by, Action.BATCH_CANCELLED, batch, {"file": batch.filename})
    storage = batch.source.storage
    transaction.on_commit(lambda: [storage.delete(name) for name in files])
    return batch


@transaction.atomic
def import_commit_start(*, batch: ImportBatch, by: Any, language: str = "vi") -> ImportBatch:
    """Queue the commit of a checked file; the worker re-checks it inside its transaction."""
    scope.require(by, scope.REGISTRAR, batch.unit)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != BatchStatus.PREVIEWED:
        raise DomainError(
            "batch_not_ready",
            _("This file cannot be imported now (%(status)s).")
            % {"status": batch.get_status_display()},
        )
    _start(batch, COMMIT_JOB, by, language)
    log(by, Action.BATCH_COMMIT_REQUESTED, batch, {"file": batch.filename})
    return batch


# Dry run and commit -----------------------------------------------------------------------


@dataclass
class Outcome:
    analysis: pipeline.Analysis
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
    by: Any,
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
    by: Any,
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
            new = [plan for plan in plans if plan.action == pipeline.NEW]
            ids += members_bulk_create(
                plans=new, kind=analyser.kind, by=by, source=filename, writer=writer
            )
            for plan in plans:
                if plan.action == pipeline.UPDATE:
                    writer.wait()
                    _write_row(analyser, plan, lambda p: _update(p, by))
                elif plan.action == pipeline.TRANSFER:
                    writer.wait()
                    _write_row(analyser, plan, lambda p: _transfer(p, by, today, filename))
            analyser.settle(plans)
            step(analyser.consumed - written)
            written = analyser.consumed
    step(analyser.consumed - written)  # blank rows at the end of the sheet
    analysis = analyser.finish()
    log(
        by,
        Action.MEMBERS_IMPORTED,
        unit,
        {"file": filename, "counts": analysis.counts},
    )
    return Outcome(analysis=analysis, committed=True, member_ids=ids)


def _write_row(analyser: pipeline.Analyser, plan: pipeline.RowPlan, write: Callable) -> None:
    """Write one row through the members services; a refusal (the registry changed since the
    check) fails that row only: the service's savepoint undoes its part."""
    try:
        write(plan)
    except DomainError as error:
        plan.action = pipeline.ERROR
        plan.errors.append(str(error.message))
        analyser.problems.append(
            pipeline.Problem(row=plan.number, column="", letter="", message=str(error.message))
        )


def _update(plan: pipeline.RowPlan, by: Any) -> None:
    member_update(member=plan.member, by=by, version=plan.member.version, **plan.changes)


def _transfer(plan: pipeline.RowPlan, by: Any, today: dt.date, filename: str) -> None:
    members_transfer_request(
        member=plan.member,
        to_unit=plan.unit,
        effective=today,
        by=by,
        note=_("Import of %(file)s, row %(row)s") % {"file": filename, "row": plan.number},
    )


class _Profile(SimpleNamespace):
    """A member's values before the row exists, with the registry's own completeness rule."""

    missing_fields = Member.missing_fields
    compute_completeness = Member.compute_completeness


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
            if len(self.names) >= pipeline.CACHE_LIMIT:
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
    *((column, Member._meta.get_field(column)) for column in _MEMBER_COLUMNS),
    ("event_id", MembershipEvent._meta.pk),
    ("audit_target", AuditEvent._meta.get_field("target_id")),
    ("audit_data", AuditEvent._meta.get_field("data")),
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
    plans: list[pipeline.RowPlan],
    kind: str,
    by: Any,
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
    defaults = [(name, Member._meta.get_field(name).get_default()) for name in PROFILE_FIELDS]
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
    rows: list[tuple] = []
    for plan in plans:
        get = plan.data.get
        joined = get("joined")
        on = plan.on or joined
        profile = [get(name, default) for name, default in defaults]
        full_name, family, middle, given, folded, sort_key = names(profile[_PROFILE_NAME_AT])
        profile[_PROFILE_NAME_AT] = full_name
        # The key comes last (reserve_ids below): None holds its place meanwhile.
        row = (None, uuid.uuid4(), plan.unit.pk, *profile, family, middle, given, folded,
               sort_key, joined, on)  # fmt: skip
        # Completeness only asks which fields are filled: once per pattern of filled fields.
        filled = tuple(bool(row[i]) for i in _COMPLETENESS_AT)
        share = completeness.get(filled)
        if share is None:
            values = dict(zip(_MEMBER_COLUMNS, row, strict=False)) | constants
            share = completeness[filled] = _Profile(**values).compute_completeness()
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
            "action": "members.member.recorded" if recording else "members.member.admitted",
            "target_type_id": ContentType.objects.get_for_model(Member, for_concrete_model=True).pk,
        },
    )
    if signals.membership_changed.has_listeners(Member):
        event_of = dict(zip(ids, event_ids, strict=True))
        writer.then(
            lambda: _signal_admissions(rows, ids, event_of, constants, event_constants, by=by)
        )
    return ids


def _audit_details(source: str, *, recording: bool) -> Callable[[str, tuple], str]:
    """member_admit's (or member_record's) audit details of a member row, as JSON: made once
    per distinct unit, dates and decision, which repeat."""
    details: dict[tuple, str] = {}

    def data(unit_code: str, row: tuple) -> str:
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
    rows: list[tuple],
    ids: list[int],
    event_of: dict[int, int],
    constants: dict[str, Any],
    event_constants: dict[str, Any],
    *,
    by: Any,
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


def _loaded(model: type, values: dict[str, Any]) -> Any:
    """A model instance for rows just written, as the ORM builds one from a query but without
    Model.__init__'s per-field work (a third of the time of a 70,000-row import). Fields not in
    `values` (the generated search text) are deferred and load on access, as with .only()."""
    instance = model.__new__(model)
    instance.__dict__.update(values)
    instance._state = ModelState()
    instance._state.adding = False
    instance._state.db = DEFAULT_DB_ALIAS
    return instance


# Photos -------------------------------------------------------------------------------------


@dataclass
class PhotoOutcome:
    matched: list[tuple[str, str]] = field(default_factory=list)  # file, member
    unmatched: list[str] = field(default_factory=list)
    invalid: list[tuple[str, str]] = field(default_factory=list)  # file, why

    def rows(self) -> list[tuple[str, str, str]]:
        return (
            [(name, _("Attached"), member) for name, member in self.matched]
            + [(name, _("No member found"), "") for name in self.unmatched]
            + [(name, _("Not attached"), why) for name, why in self.invalid]
        )


def photos_import(
    *, unit: Unit, by: Any, archive: Any, advance: Callable[[int], None] | None = None
) -> PhotoOutcome:
    """Attach the photos of a ZIP archive to the members of `unit`'s subtree, each file named
    by the member's document number (or card number), through the registry's photo pipeline
    (validated, EXIF stripped, cropped). Each photo is its own change: a bad file is listed and
    the others still attach."""
    scope.require(by, scope.REGISTRAR, unit)
    try:
        archive_file = zipfile.ZipFile(archive)
    except zipfile.BadZipFile:
        raise DomainError("photos_not_zip", _("Upload the photos as one ZIP file.")) from None
    entries = [
        info
        for info in archive_file.infolist()
        if not info.is_dir()
        and not PurePosixPath(info.filename).name.startswith(".")
        and "__MACOSX" not in info.filename
    ]
    if len(entries) > settings.PHOTO_ARCHIVE_MAX_FILES:
        raise DomainError(
            "photos_too_many",
            _("The archive holds more than %(count)s files; split it.")
            % {"count": settings.PHOTO_ARCHIVE_MAX_FILES},
        )
    outcome = PhotoOutcome()
    stems = [PurePosixPath(info.filename).stem.strip() for info in entries]
    found = selectors.photo_owners(user=by, unit=unit, stems=stems)
    for info, stem in zip(entries, stems, strict=True):
        name = info.filename
        if advance:
            advance(1)
        if not name.lower().endswith(PHOTO_SUFFIXES):
            outcome.invalid.append((name, _("Only JPEG and PNG files are accepted.")))
            continue
        member = found.get(stem)
        if member is None:
            outcome.unmatched.append(name)
            continue
        # The size the archive declares is all zipfile will unpack of the entry.
        if info.file_size > uploads.max_bytes(uploads.PHOTO):
            outcome.invalid.append((name, _("The photo is too large.")))
            continue
        try:
            member_photo_set(member=member, by=by, upload=io.BytesIO(archive_file.read(name)))
        except DomainError as error:
            outcome.invalid.append((name, str(error.message)))
        else:
            outcome.matched.append((name, member.full_name))
    return outcome


@transaction.atomic
def photos_import_start(*, unit: Unit, by: Any, upload: Any, language: str = "vi") -> Any:
    """Store a ZIP of photos and queue their attachment; returns the job to follow."""
    scope.require(by, scope.REGISTRAR, unit)
    uploads.check_size(upload, uploads.PHOTO_ARCHIVE, field="archive")
    if not zipfile.is_zipfile(upload):
        raise DomainError("photos_not_zip", _("Upload the photos as one ZIP file."))
    upload.seek(0)
    name = default_storage.save(f"imports/photos/{uuid.uuid4().hex}.zip", upload)
    job = jobs.job_start(
        kind=PHOTOS_JOB,
        title=_("Photos for %(unit)s") % {"unit": unit.name},
        owner=by,
        params={"unit": unit.pk, "archive": name, "language": language},
    )
    log(by, Action.PHOTOS_UPLOADED, unit, {"job": str(job.pk)})
    return job


@transaction.atomic
def members_export_start(*, unit: Unit, by: Any, language: str = "vi") -> Any:
    """Queue an export of `unit`'s members in the import template's layout."""
    scope.require(by, scope.REGISTRAR, unit)
    return jobs.job_start(
        kind=EXPORT_JOB,
        title=_("Members of %(unit)s, import layout") % {"unit": unit.name},
        owner=by,
        params={"unit": unit.pk, "language": language},
    )


# Export -------------------------------------------------------------------------------------

SENSITIVE_EXPORTED = ("ethnicity", "religion")


def members_export(
    *, unit: Unit, by: Any, out: Any, advance: Callable[[], None] | None = None
) -> int:
    """Write the current members of `unit`'s subtree in the import template's layout, so the
    file can be edited and imported back. Ethnicity and religion are in it: each member's
    appearance is logged as a view of sensitive data (DESIGN §2)."""
    members = selectors.export_members(user=by, unit=unit)
    exported: list[_MemberRef] = []

    def rows():
        for member in members.iterator(chunk_size=2000):
            exported.append(_MemberRef(member.pk, member.full_name))
            yield [_export_value(member, column.key) for column in COLUMNS]

    count = write_xlsx(
        out,
        headers=[column.header for column in COLUMNS],
        rows=rows(),
        title="Danh sách đoàn viên",
        widths=[column.width for column in COLUMNS],
        on_row=advance,
    )
    with transaction.atomic():
        log_many(
            by,
            "members.member.sensitive_viewed",
            exported,
            {"fields": list(SENSITIVE_EXPORTED), "via": "export"},
        )
        log(by, Action.MEMBERS_EXPORTED, unit, {"members": count})
    return count


class _MemberRef:
    """What an audit row needs of a member (type, key, name), without holding 70,000 model
    instances in memory until the export is written."""

    _meta = Member._meta
    __slots__ = ("name", "pk")

    def __init__(self, pk: int, name: str) -> None:
        self.pk, self.name = pk, name

    def __str__(self) -> str:
        return self.name


def _export_value(member: Member, key: str) -> Any:
    if key == UNIT_CODE:
        return member.unit.code
    value = getattr(member, key)
    if key == "gender":
        return {"male": "Nam", "female": "Nữ"}.get(value, "")
    if key == "id_kind":
        return {"cccd": "CCCD", "cmnd": "CMND", "passport": "Hộ chiếu"}.get(value, "")
    return value


def export_to_job(*, job: Any, unit: Unit, by: Any, advance: Callable[[], None]) -> int:
    with tempfile.TemporaryFile() as out:
        count = members_export(unit=unit, by=by, out=out, advance=advance)
        out.seek(0)
        name = f"doan-vien-{unit.code}.xlsx"
        jobs.attach_result(job, name=name, file=File(out, name=name))
    return count


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
