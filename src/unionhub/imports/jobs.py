"""Background work of the imports app (core.jobs): the dry run, the commit, photo archives and
the template-layout export. Each handler re-reads what it needs as the job's owner, so scope is
checked in the worker as it was in the request."""

from __future__ import annotations

import logging
import tempfile
import zipfile

from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from unionhub.core import jobs
from unionhub.core.models import Job
from unionhub.core.xlsx import write_xlsx
from unionhub.imports import selectors, services
from unionhub.imports.models import BatchStatus, ImportBatch
from unionhub.imports.reader import read_table
from unionhub.orgs.selectors import unit_get

logger = logging.getLogger(__name__)


def _batch(job: Job) -> ImportBatch:
    return ImportBatch.objects.select_related("unit", "owner").get(pk=job.params["batch"])


def _read(batch: ImportBatch):
    with batch.source.open("rb") as source:
        return read_table(source.read(), batch.filename)


@jobs.handler(services.PREVIEW_JOB)
def run_preview(job: Job, progress: jobs.Progress) -> None:
    batch = _batch(job)
    with translation.override(job.params.get("language", "vi")):
        try:
            table = _read(batch)
            progress.start(table.size)
            outcome = services.import_check(
                table=table,
                unit=batch.unit,
                by=job.owner,
                mapping=batch.column_mapping(),
                mode=batch.mode,
                books_open=batch.books_open,
                advance=progress.advance,
            )
            # Inside the try: a report that cannot be written must fail the batch too, never
            # leave it "checking" for ever.
            services.report_to_batch(batch, outcome)
        except Exception:
            ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.FAILED)
            raise
        batch.status = BatchStatus.PREVIEWED
        batch.save(update_fields=["summary", "error_report", "status"])
        job.result = outcome.counts
        job.message = outcome.summary_line()


@jobs.handler(services.COMMIT_JOB)
def run_commit(job: Job, progress: jobs.Progress) -> None:
    batch = _batch(job)
    with translation.override(job.params.get("language", "vi")):
        try:
            table = _read(batch)
            # Two passes over the rows: the check, then the writes.
            progress.start(2 * table.size)
            outcome = services.members_import(
                table=table,
                unit=batch.unit,
                by=job.owner,
                mapping=batch.column_mapping(),
                filename=batch.filename,
                mode=batch.mode,
                books_open=batch.books_open,
                advance=progress.advance,
            )
        except Exception:
            # The import's transaction is rolled back; the batch says so and may be re-tried.
            ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.FAILED)
            raise
        try:
            services.report_to_batch(batch, outcome)
        except Exception:
            # The rows are written and committed: the batch is done whatever happens to its
            # report (a failed batch could be imported a second time).
            logger.exception("import batch %s: the report could not be written", batch.pk)
        batch.status = BatchStatus.DONE
        batch.committed = timezone.now()
        batch.save(update_fields=["summary", "error_report", "status", "committed"])
        job.result = outcome.counts
        job.message = outcome.summary_line()


@jobs.handler(services.PHOTOS_JOB)
def run_photos(job: Job, progress: jobs.Progress) -> None:
    unit = unit_get(user=job.owner, pk=job.params["unit"])
    name = job.params["archive"]
    with translation.override(job.params.get("language", "vi")):
        try:
            with default_storage.open(name, "rb") as archive:
                with zipfile.ZipFile(archive) as probe:
                    progress.start(len(probe.infolist()))
                archive.seek(0)
                outcome = services.photos_import(
                    unit=unit, by=job.owner, archive=archive, advance=progress.advance
                )
        finally:
            default_storage.delete(name)
        with tempfile.TemporaryFile() as out:
            write_xlsx(
                out,
                headers=[_("File"), _("Result"), _("Member or reason")],
                rows=outcome.rows(),
                title=_("Photos"),
                widths=[30, 20, 50],
            )
            out.seek(0)
            jobs.attach_result(job, name="photos.xlsx", file=File(out, name="photos.xlsx"))
        job.result = {
            "matched": len(outcome.matched),
            "unmatched": outcome.unmatched,
            "invalid": [list(pair) for pair in outcome.invalid],
        }
        job.message = _(
            "%(matched)s photos attached, %(unmatched)s without a member, %(invalid)s invalid."
        ) % {
            "matched": len(outcome.matched),
            "unmatched": len(outcome.unmatched),
            "invalid": len(outcome.invalid),
        }


@jobs.handler(services.EXPORT_JOB)
def run_export(job: Job, progress: jobs.Progress) -> None:
    unit = unit_get(user=job.owner, pk=job.params["unit"])
    with translation.override(job.params.get("language", "vi")):
        progress.start(selectors.export_members(user=job.owner, unit=unit).count())
        count = services.export_to_job(
            job=job, unit=unit, by=job.owner, advance=lambda: progress.advance(1)
        )
        job.message = _("%(count)s members exported.") % {"count": count}
