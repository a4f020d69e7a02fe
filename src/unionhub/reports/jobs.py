"""Background work of the reports app (core.jobs handlers)."""

import io

from django.core.files import File

from unionhub.core import jobs
from unionhub.core.xlsx import write_xlsx
from unionhub.reports import exports, periods, selectors
from unionhub.reports.fluctuation import Cell


@jobs.handler("reports.members_behind")
def _export_members_job(job, progress):
    """The members behind one number, to XLSX, for lists too long to build during a request."""
    params = job.params
    unit = selectors.report_unit(user=job.owner, pk=params["unit"])
    period = periods.parse(params)
    cell = Cell(params["column"], params.get("row"))
    members = selectors.members_behind(user=job.owner, unit=unit, period=period, cell=cell)
    progress.start(members.count())
    spool = io.BytesIO()
    write_xlsx(
        spool,
        headers=[h() for h in exports.MEMBER_HEADERS],
        rows=exports.member_rows(members),
        on_row=progress.advance,
    )
    spool.seek(0)
    jobs.attach_result(job, name=f"{unit.code}-{cell.column}.xlsx", file=File(spool))
