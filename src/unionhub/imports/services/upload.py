"""Taking a member spreadsheet in: the upload, the column mapping (remembered per unit and
layout), cancelling a checked file, and queueing its dry run and its commit."""

from __future__ import annotations

import datetime as dt
from pathlib import PurePosixPath

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from unionhub.audit.services import log
from unionhub.core import jobs, scope, uploads
from unionhub.core.errors import DomainError
from unionhub.core.types import User
from unionhub.imports import selectors
from unionhub.imports.actions import Action
from unionhub.imports.columns import all_columns, layout_signature, missing_required
from unionhub.imports.models import (
    CANCELLABLE,
    BatchStatus,
    ColumnMapping,
    ImportBatch,
    ImportMode,
)
from unionhub.imports.reader import Table, auto_mapping, read_table
from unionhub.members.services import (
    check_unit_takes_members,
)
from unionhub.orgs.models import Unit

PREVIEW_JOB = "imports.preview"
COMMIT_JOB = "imports.commit"


@transaction.atomic
def import_upload(
    *,
    unit: Unit,
    by: User,
    upload: File[bytes],
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
        if missing_required(mapping):
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
    remembered = selectors.saved_mapping(unit=unit, signature=layout_signature(table.headers))
    if remembered is not None:
        return remembered
    return {str(index): key for index, key in auto_mapping(table.headers).items()}


def _start(batch: ImportBatch, kind: str, by: User, language: str) -> None:
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
    *, batch: ImportBatch, by: User, mapping: dict[int, str], language: str = "vi"
) -> ImportBatch:
    """Match the file's columns to fields by hand; the unit remembers it for files of the same
    layout. Starts the dry run."""
    scope.require(by, scope.REGISTRAR, batch.unit)
    if batch.status in (BatchStatus.COMMITTING, BatchStatus.DONE):
        raise DomainError("batch_closed", _("This file was already imported."))
    chosen = {index: key for index, key in mapping.items() if key}
    keys = list(chosen.values())
    if duplicates := sorted({k for k in keys if keys.count(k) > 1}):
        labels = ", ".join(str(c.label) for c in all_columns() if c.key in duplicates)
        raise DomainError(
            "mapping_duplicate", _("Each field can come from one column only: %s.") % labels
        )
    if missing := missing_required(chosen):
        labels = ", ".join(str(c.label) for c in all_columns() if c.key in missing)
        raise DomainError("mapping_incomplete", _("Choose the columns for: %s.") % labels)
    stored = {str(index): key for index, key in chosen.items()}
    ColumnMapping.objects.update_or_create(
        unit=batch.unit,
        signature=layout_signature(batch.headers),
        defaults={"mapping": stored},
    )
    batch.mapping = stored
    batch.save(update_fields=["mapping"])
    log(by, Action.MAPPING_SAVED, batch.unit, {"mapping": stored, "file": batch.filename})
    _start(batch, PREVIEW_JOB, by, language)
    return batch


@transaction.atomic
def import_cancel(*, batch: ImportBatch, by: User) -> ImportBatch:
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
    files = [f.name for f in (batch.source, batch.error_report) if f and f.name]
    batch.status = BatchStatus.CANCELLED
    batch.save(update_fields=["status"])
    log(by, Action.BATCH_CANCELLED, batch, {"file": batch.filename})
    storage = batch.source.storage

    def delete_files() -> None:
        for name in files:
            storage.delete(name)

    transaction.on_commit(delete_files)
    return batch


@transaction.atomic
def import_commit_start(*, batch: ImportBatch, by: User, language: str = "vi") -> ImportBatch:
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
