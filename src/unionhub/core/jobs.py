"""Background jobs with a progress bar that survives closing the browser.

An app registers a handler for a kind of job; `job_start` records the job and enqueues the one
generic task after commit; the handler reports progress through `Progress`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from unionhub.core.errors import DomainError, OutOfScope
from unionhub.core.models import Job, JobStatus
from unionhub.core.types import User

logger = logging.getLogger(__name__)
Handler = Callable[[Job, "Progress"], None]
_HANDLERS: dict[str, Handler] = {}
_PROGRESS_TTL = 7 * 24 * 3600


def handler(kind: str) -> Callable[[Handler], Handler]:
    """Register `fn(job, progress)` as the work behind jobs of `kind`."""

    def register(fn: Handler) -> Handler:
        _HANDLERS[kind] = fn
        return fn

    return register


def _key(job_id: Any) -> str:
    return f"unionhub:job:{job_id}:progress"


class Progress:
    """Reports done/total at most every `every` items, to keep the cache quiet."""

    def __init__(self, job: Job, every: int = 200) -> None:
        self.job = job
        self.every = every
        self.total = 0
        self.done = 0
        # A job may advance from two threads (its own and core.threads.read_ahead's).
        self._lock = threading.Lock()

    def start(self, total: int) -> None:
        self.total = total
        self.done = 0
        cache.set(_key(self.job.pk), (0, total), _PROGRESS_TTL)

    def advance(self, step: int = 1) -> None:
        with self._lock:
            self.done += step
            done = self.done
        if done % self.every < step or done >= self.total:
            cache.set(_key(self.job.pk), (done, self.total), _PROGRESS_TTL)


def job_start(*, kind: str, title: str, owner: User, params: dict[str, Any] | None = None) -> Job:
    """Record a job and enqueue it once the caller's transaction commits."""
    from unionhub.core.tasks import run_job

    if kind not in _HANDLERS:
        raise DomainError("unknown_job", _("Unknown kind of background job."))
    job = Job.objects.create(kind=kind, title=title, owner=owner, params=params or {})
    transaction.on_commit(lambda: run_job.enqueue(str(job.pk)))
    return job


def job_run(job_id: str) -> Job:
    """Run one job to the end; failures are recorded on the job, not raised."""
    job = Job.objects.get(pk=job_id)
    if job.is_finished:
        return job
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started=timezone.now())
    progress = Progress(job)
    try:
        _HANDLERS[job.kind](job, progress)
    except DomainError as error:
        _finish(job, JobStatus.FAILED, str(error.message), progress)
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(
            job,
            JobStatus.FAILED,
            _("An unexpected error stopped the work; nothing was saved."),
            progress,
        )
    else:
        _finish(job, JobStatus.DONE, job.message, progress)
    job.refresh_from_db()
    return job


def _finish(job: Job, status: str, message: str, progress: Progress) -> None:
    job.status = status
    job.message = message
    job.done = progress.done if status == JobStatus.FAILED else max(progress.done, progress.total)
    job.total = progress.total
    job.finished = timezone.now()
    job.save(
        update_fields=[
            "status",
            "message",
            "done",
            "total",
            "finished",
            "result",
            "result_file",
            "result_url",
        ]
    )
    cache.delete(_key(job.pk))


def attach_result(job: Job, *, name: str, file: File[bytes]) -> None:
    """Store the job's output file (through the storage API); saved when the job finishes."""
    job.result_file.save(name, file, save=False)


def job_get(*, user: User, pk: Any) -> Job:
    """A job with live progress, for the user who started it only."""
    job = Job.objects.filter(pk=pk).first()
    if job is None or (job.owner_id != user.pk and not user.is_superuser):
        raise OutOfScope()
    if not job.is_finished and (live := cache.get(_key(job.pk))):
        job.done, job.total = live
    return job
