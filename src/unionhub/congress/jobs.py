"""Badge batches run as background jobs with a progress bar: 300 badges with photos take a few
seconds, too long for a request on a slow link."""

from __future__ import annotations

import tempfile

from django.core.files import File
from django.utils.translation import gettext as _

from unionhub.congress import pdf, selectors
from unionhub.core import jobs
from unionhub.core.models import Job


@jobs.handler("congress.badges")
def badge_batch(job: Job, progress: jobs.Progress) -> None:
    params = job.params
    congress = selectors.congress_get(user=job.owner, pk=params["congress"])
    delegates = selectors.delegate_list(
        user=job.owner,
        congress=congress,
        filters=selectors.DelegateFilters(sort="number", **params.get("filters", {})),
    ).select_related("congress")
    progress.start(delegates.count())
    with tempfile.TemporaryFile() as spool:
        count = pdf.badge_sheets(
            spool,
            delegates.iterator(chunk_size=200),
            base_url=params["base_url"],
            size=params["size"],
            on_badge=progress.advance,
        )
        spool.seek(0)
        jobs.attach_result(job, name=f"badges-{congress.pk}-{params['size']}.pdf", file=File(spool))
    job.message = _("%(count)d badges ready to print.") % {"count": count}
