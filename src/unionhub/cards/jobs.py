"""Background work of the cards app: batch requests and batch rendering (core.jobs)."""

from __future__ import annotations

import tempfile

from django.core.files import File
from django.utils.translation import gettext as _

from unionhub.cards import photos, printing, selectors, services
from unionhub.core import jobs
from unionhub.core.models import Job
from unionhub.orgs.selectors import unit_get

REQUEST_BATCH = "cards.request_batch"
RENDER = "cards.render"


@jobs.handler(REQUEST_BATCH)
def run_request_batch(job: Job, progress: jobs.Progress) -> None:
    unit = unit_get(user=job.owner, pk=job.params["unit"])
    progress.start(services.members_without_card(unit=unit).count())

    def report(done: int, total: int) -> None:
        progress.advance(done - progress.done)

    created = services.card_request_batch(
        unit=unit,
        by=job.owner,
        include_subunits=job.params.get("include_subunits", True),
        progress=report,
    )
    # The print-ready photo copies are made now, in the background, so that printing these
    # cards later embeds stored JPEGs instead of converting every photo while the officer
    # waits for the sheets (printing makes any copy still missing).
    names = selectors.photo_names(created)
    progress.start(len(names))
    for name in names:
        photos.print_photo(name)
        progress.advance()
    job.result = {"requested": len(created), "photos": len(names)}
    job.message = _("%(count)d cards requested.") % {"count": len(created)}


@jobs.handler(RENDER)
def run_render(job: Job, progress: jobs.Progress) -> None:
    """Render the chosen cards (re-read through the scoped selector as the job's owner) to a
    ZIP holding one PDF per unit."""
    filters = selectors.filters_from_params(user=job.owner, params=job.params["filters"])
    cards = selectors.printable(selectors.card_list(user=job.owner, filters=filters))
    progress.start(cards.count())
    with tempfile.TemporaryFile() as out:
        names = printing.render_per_unit(
            cards.iterator(chunk_size=500),
            out,
            layout=job.params["layout"],
            base_url=job.params["base_url"],
            advance=progress.advance,
        )
        out.seek(0)
        jobs.attach_result(job, name="cards.zip", file=File(out, name="cards.zip"))
    job.result = {"files": names, "cards": progress.done}
    job.message = _("%(count)d cards in %(files)d files.") % {
        "count": progress.done,
        "files": len(names),
    }
