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
from unionhub.core import jobs, scope
from unionhub.core.errors import DomainError
from unionhub.core.text import fold, name_sort_key, nfc, split_full_name
from unionhub.core.xlsx import write_xlsx
from unionhub.imports import bulk, pipeline, report, selectors
from unionhub.imports.columns import COLUMNS, UNIT_CODE
from unionhub.imports.models import BatchStatus, ColumnMapping, ImportBatch
from unionhub.imports.reader import Table, auto_mapping, read_table
from unionhub.members import photos, signals
from unionhub.members.models import (
    EventKind,
    Member,
    MembershipEvent,
    MembershipPeriod,
    MemberState,
)
from unionhub.members.services import PROFILE_FIELDS, member_photo_set, member_update
from unionhub.members.services import transfer_request as members_transfer_request
from unionhub.orgs.models import Unit

PREVIEW_JOB = "imports.preview"
COMMIT_JOB = "imports.commit"
PHOTOS_JOB = "imports.photos"
EXPORT_JOB = "imports.export"
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png")
MAX_PHOTOS = 20_000


def _actor_id(by: Any) -> int | None:
    return by.pk if getattr(by, "is_authenticated", False) else None


# Upload and mapping -------------------------------------------------------------------------


@transaction.atomic
def import_upload(*, unit: Unit, by: Any, upload: Any, language: str = "vi") -> ImportBatch:
    """Store an uploaded spreadsheet for `unit` and start its dry run, or stop at the column
    mapping step when the required columns are not recognised (nor remembered for the unit)."""
    scope.require(by, scope.REGISTRAR, unit)
    data = upload.read()
    filename = PurePosixPath(getattr(upload, "name", "") or "upload").name[:255]
    table = read_table(data, filename)
    mapping = _known_mapping(unit, table)
    batch = ImportBatch(
        unit=unit, owner=by, filename=filename, headers=table.headers, mapping=mapping
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
    log(by, "imports.batch.uploaded", batch, {"unit": unit.code, "file": filename})
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
    log(by, "imports.mapping.saved", batch.unit, {"mapping": stored, "file": batch.filename})
    _start(batch, PREVIEW_JOB, by, language)
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
    log(by, "imports.batch.commit_requested", batch, {"file": batch.filename})
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
    advance: Callable[[int], None] | None = None,
) -> Outcome:
    """The dry run: the analysis, nothing written (not even a transaction is opened, so a long
    check never holds the database's write lock)."""
    analysis = pipeline.analyse(table, mapping=mapping, unit=unit, by=by, advance=advance)
    return Outcome(analysis=analysis, committed=False)


@transaction.atomic
def members_import(
    *,
    table: Table,
    unit: Unit,
    by: Any,
    mapping: dict[int, str],
    filename: str,
    advance: Callable[[int], None] | None = None,
) -> Outcome:
    """Import the rows of `table` into `unit`: new members admitted, changed ones updated,
    members of other units asked for by transfer request; rows with errors are left out (see
    the error report). One transaction: any failure midway leaves the database as before."""
    step = advance or (lambda n: None)
    analysis = pipeline.analyse(table, mapping=mapping, unit=unit, by=by, lock=True, advance=step)
    new = [plan for plan in analysis.rows if plan.action == pipeline.NEW]
    ids = members_bulk_admit(plans=new, by=by, source=filename, advance=step)
    today = timezone.localdate()
    for plan in analysis.rows:
        if plan.action == pipeline.UPDATE:
            _write_row(analysis, plan, lambda p: _update(p, by))
        elif plan.action == pipeline.TRANSFER:
            _write_row(analysis, plan, lambda p: _transfer(p, by, today, filename))
        if plan.action != pipeline.NEW:
            step(1)
    log(
        by,
        "imports.members.imported",
        unit,
        {"file": filename, "counts": analysis.counts},
    )
    return Outcome(analysis=analysis, committed=True, member_ids=ids)


def _write_row(analysis: pipeline.Analysis, plan: pipeline.RowPlan, write: Callable) -> None:
    """Write one row through the members services; a refusal (the registry changed since the
    check) fails that row only: the service's savepoint undoes its part."""
    try:
        write(plan)
    except DomainError as error:
        plan.action = pipeline.ERROR
        plan.errors.append(str(error.message))
        analysis.problems.append(
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


_MEMBER_COLUMNS = (
    "public_id",
    "unit_id",
    *PROFILE_FIELDS,
    "family_name",
    "middle_name",
    "given_name",
    "joined",
    "photo",
    "photo_thumb",
    "state",
    "state_since",
    "completeness",
    "version",
    "name_folded",
    "sort_key",
    "created",
    "updated",
)
_EVENT_COLUMNS = (
    "member_id",
    "kind",
    "date",
    "unit_id",
    "other_unit_id",
    "reason",
    "reorganisation",
    "decision",
    "note",
    "by_id",
    "recorded",
)
_AUDIT_COLUMNS = (
    "at",
    "actor_id",
    "action",
    "target_type_id",
    "target_id",
    "target_repr",
    "data",
)


def members_bulk_admit(
    *,
    plans: list[pipeline.RowPlan],
    by: Any,
    source: str,
    advance: Callable[[int], None] | None = None,
) -> list[int]:
    """Admit the members of checked rows in bulk, as member_admit admits one: the member row
    (name fields as Member.save derives them, state, completeness), its ADMITTED event, its
    open membership period, its audit row and the membership_changed signal. Runs inside the
    caller's transaction; returns the new members' ids in the order of `plans`."""
    if not plans:
        return []
    now = timezone.now()
    actor = _actor_id(by)
    defaults = {name: Member._meta.get_field(name).get_default() for name in PROFILE_FIELDS}
    names: dict[str, tuple] = {}
    members: list[dict[str, Any]] = []
    for plan in plans:
        data = plan.data
        values = {name: data.get(name, defaults[name]) for name in PROFILE_FIELDS}
        values["birth_date"] = data.get("birth_date")
        full_name = nfc(values["full_name"])  # as Member.save
        if full_name not in names:
            names[full_name] = (
                *split_full_name(full_name),
                fold(full_name),
                name_sort_key(full_name),
            )
        family, middle, given, folded, sort_key = names[full_name]
        values.update(
            full_name=full_name,
            public_id=uuid.uuid4(),
            unit_id=plan.unit.pk,
            family_name=family,
            middle_name=middle,
            given_name=given,
            joined=data["joined"],
            photo="",
            photo_thumb="",
            state=MemberState.ACTIVE,
            state_since=data["joined"],
            version=1,
            name_folded=folded,
            sort_key=sort_key,
            created=now,
            updated=now,
        )
        values["completeness"] = _Profile(**values).compute_completeness()
        members.append(values)
    inserted = bulk.insert(
        Member,
        _MEMBER_COLUMNS,
        (tuple(values[c] for c in _MEMBER_COLUMNS) for values in members),
        returning=("public_id", "id"),
        on_chunk=advance,
    )
    id_of = {_uuid(public_id): pk for public_id, pk in inserted}
    for values in members:
        values["id"] = id_of[values["public_id"]]
    events = bulk.insert(
        MembershipEvent,
        _EVENT_COLUMNS,
        (
            (
                v["id"],
                EventKind.ADMITTED,
                v["joined"],
                v["unit_id"],
                None,
                "",
                False,
                nfc(v["admission_decision"]),
                "",
                actor,
                now,
            )
            for v in members
        ),
        returning=("member_id", "id"),
    )
    event_of = dict(events)
    bulk.insert(
        MembershipPeriod,
        ("member_id", "unit_id", "start", "end"),
        ((v["id"], v["unit_id"], v["joined"], None) for v in members),
    )
    _audit_admissions(plans, members, by=by, now=now, source=source)
    _signal_admissions(members, event_of, by=by, actor=actor, now=now)
    return [v["id"] for v in members]


def _uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _audit_admissions(
    plans: list[pipeline.RowPlan], members: list[dict], *, by: Any, now: Any, source: str
) -> None:
    """One audit row per member, with member_admit's action and details (plus the file): the
    rows audit.services.log would write, in one statement instead of one per member."""
    target_type = ContentType.objects.get_for_model(Member, for_concrete_model=True).pk
    actor = _actor_id(by)
    action = "members.member.admitted"
    bulk.insert(
        AuditEvent,
        _AUDIT_COLUMNS,
        (
            (
                now,
                actor,
                action,
                target_type,
                str(v["id"]),
                v["full_name"][:300],
                json.dumps(
                    {
                        "unit": plan.unit.code,
                        "joined": v["joined"].isoformat(),
                        "decision": v["admission_decision"],
                        "photo": False,
                        "import": source,
                    }
                ),
            )
            for plan, v in zip(plans, members, strict=True)
        ),
    )


def _signal_admissions(members: list[dict], event_of: dict, *, by: Any, actor: Any, now: Any):
    """membership_changed for each admission, as member_admit sends it (upper apps follow)."""
    if not signals.membership_changed.has_listeners(Member):
        return
    for v in members:
        member = _loaded(Member, {name: v[name] for name in _MEMBER_COLUMNS} | {"id": v["id"]})
        event = _loaded(
            MembershipEvent,
            dict(
                zip(
                    ("id", *_EVENT_COLUMNS),
                    (event_of[v["id"]], v["id"], EventKind.ADMITTED, v["joined"], v["unit_id"],
                     None, "", False, nfc(v["admission_decision"]), "", actor, now),
                    strict=True,
                )
            ),
        )  # fmt: skip
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
    if len(entries) > MAX_PHOTOS:
        raise DomainError(
            "photos_too_many",
            _("The archive holds more than %(count)s files; split it.") % {"count": MAX_PHOTOS},
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
        if info.file_size > photos.MAX_UPLOAD_BYTES:
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
    log(by, "imports.photos.uploaded", unit, {"job": str(job.pk)})
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
        log(by, "imports.members.exported", unit, {"members": count})
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
