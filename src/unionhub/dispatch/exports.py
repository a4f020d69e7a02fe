"""Inbox and outbox as XLSX: small lists straight away, long ones as a background job."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator

from django.core.files.base import File
from django.http import QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from unionhub.core import jobs
from unionhub.core.types import User
from unionhub.core.xlsx import write_xlsx, xlsx_response
from unionhub.dispatch import selectors
from unionhub.dispatch.forms import InboxFilterForm, OutboxFilterForm
from unionhub.orgs.models import Unit

# Above this many rows the export runs as a job with a progress bar.
INLINE_LIMIT = 2000


def _name(user: User) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _local(moment):
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def inbox_headers() -> list[str]:
    return [
        _("Incoming no."),
        _("Received"),
        _("Number and symbol"),
        _("Date"),
        _("Type"),
        _("Sender"),
        _("Summary"),
        _("Urgency"),
        _("First read"),
        _("Read by"),
        _("Handling"),
        _("Assigned to"),
        _("Deadline"),
    ]


def inbox_rows(qs) -> Iterator[list]:
    for r in qs.iterator(chunk_size=1000):
        d = r.document
        yield [
            f"{r.incoming_number}/{r.incoming_year}",
            _local(r.delivered_at),
            d.symbol,
            d.date,
            d.get_doc_type_display(),
            d.unit.name,
            d.summary,
            d.get_urgency_display(),
            _local(r.read_at),
            _name(r.read_by),
            r.get_status_display(),
            _name(r.assignee),
            r.deadline,
        ]


def outbox_headers() -> list[str]:
    return [
        _("Number and symbol"),
        _("Date"),
        _("Type"),
        _("Summary"),
        _("Signed by"),
        _("Urgency"),
        _("Status"),
        _("Recipients"),
        _("Read"),
        _("Handled"),
    ]


def outbox_rows(qs) -> Iterator[list]:
    for d in qs.iterator(chunk_size=1000):
        yield [
            d.symbol,
            d.date,
            d.get_doc_type_display(),
            d.summary,
            d.signer,
            d.get_urgency_display(),
            d.get_status_display(),
            d.recipient_count,
            d.read_count,
            d.done_count,
        ]


def _listing(box: str, *, user: User, unit: Unit, query: QueryDict):
    if box == "inbox":
        filters = InboxFilterForm(query).filters()
        return selectors.inbox(user=user, unit=unit, filters=filters), inbox_headers, inbox_rows
    filters = OutboxFilterForm(query).filters()
    return selectors.outbox(user=user, unit=unit, filters=filters), outbox_headers, outbox_rows


def _filename(box: str, unit: Unit) -> str:
    label = _("incoming") if box == "inbox" else _("outgoing")
    return f"{unit.code}-{label}-{timezone.localdate():%Y%m%d}.xlsx"


def export(*, box: str, user: User, unit: Unit, query: QueryDict) -> HttpResponseBase:
    """The filtered list as XLSX, or a job page when it is long."""
    qs, headers, rows = _listing(box, user=user, unit=unit, query=query)
    if qs.count() <= INLINE_LIMIT:
        return xlsx_response(_filename(box, unit), headers=headers(), rows=rows(qs))
    params = query.copy()
    params.pop("export", None)
    job = jobs.job_start(
        kind="dispatch.export",
        title=_("Export of %(unit)s's documents") % {"unit": unit.name},
        owner=user,
        params={"box": box, "unit": unit.pk, "query": params.urlencode()},
    )
    return redirect("core:job", job.pk)


@jobs.handler("dispatch.export")
def run_export(job, progress) -> None:
    user = job.owner
    box = job.params["box"]
    unit = selectors.register_unit(user=user, pk=job.params["unit"])
    qs, headers, rows = _listing(box, user=user, unit=unit, query=QueryDict(job.params["query"]))
    progress.start(qs.count())
    with tempfile.TemporaryFile() as out:
        count = write_xlsx(out, headers=headers(), rows=rows(qs), on_row=progress.advance)
        out.seek(0)
        jobs.attach_result(job, name=_filename(box, unit), file=File(out))
    job.message = _("%(count)d rows") % {"count": count}
