"""The member list as XLSX: exactly the filtered list, written row by row in constant memory."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from typing import Any

from django.core.files import File
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from unionhub.core import jobs
from unionhub.core.xlsx import write_xlsx
from unionhub.members.models import Member

JOB_KIND = "members.export"


# Each column: its header, its value, and whether it is personal data (identity document,
# contacts, address, date of birth) that only registrars may take out of the registry.
COLUMNS: tuple[tuple[Callable[[], str], Callable[[Member], Any], bool], ...] = (
    (lambda: _("Full name"), lambda m: m.full_name, False),
    (lambda: _("Gender"), lambda m: m.get_gender_display(), False),
    (lambda: _("Date of birth"), lambda m: m.birth_date, True),
    (lambda: _("Identity document"), lambda m: m.get_id_kind_display(), True),
    (lambda: _("Document number"), lambda m: m.id_number, True),
    (lambda: _("Phone"), lambda m: m.phone, True),
    (lambda: _("E-mail"), lambda m: m.email, True),
    (lambda: _("Address"), lambda m: m.address, True),
    (lambda: _("Home town"), lambda m: m.home_town, True),
    (lambda: _("Occupation"), lambda m: m.occupation, False),
    (lambda: _("Workplace"), lambda m: m.workplace, False),
    (lambda: _("Unit code"), lambda m: m.unit.code, False),
    (lambda: _("Unit"), lambda m: m.unit.name, False),
    (lambda: _("Union join date"), lambda m: m.joined, False),
    (lambda: _("Status"), lambda m: m.get_state_display(), False),
    (lambda: _("Status since"), lambda m: m.state_since, False),
    (lambda: _("Profile completeness (%)"), lambda m: m.completeness, False),
)


def _columns(personal: bool):
    return [column for column in COLUMNS if personal or not column[2]]


def headers(*, personal: bool) -> list[str]:
    return [_("No.")] + [header() for header, _value, _personal in _columns(personal)]


def rows(members, *, personal: bool) -> Iterator[list[Any]]:
    """One row per member, streamed from the database in chunks (no list of 70,000 objects).
    Ethnicity and religion are left out: they are shown only to those who may see them, with
    each view logged, and a spreadsheet cannot log who opens it."""
    values = [value for _header, value, _personal in _columns(personal)]
    for number, member in enumerate(members.iterator(chunk_size=2000), start=1):
        yield [number, *(value(member) for value in values)]


def filename(unit) -> str:
    stem = unit.code if unit is not None else "members"
    return f"{stem}-{timezone.localdate():%Y%m%d}.xlsx"


@jobs.handler(JOB_KIND)
def run_export(job, progress) -> None:
    """Background export of a big list, for the officer who asked, with their scope."""
    from unionhub.members import selectors, services
    from unionhub.members.forms import FilterForm
    from unionhub.orgs.selectors import unit_get

    user = job.owner
    unit = unit_get(user=user, pk=job.params["unit"]) if job.params.get("unit") else None
    filters = FilterForm(QueryDict(job.params.get("query", ""))).filters()
    members: Any = selectors.member_list(user=user, unit=unit, filters=filters)
    personal = selectors.can_export_personal(user, unit)
    progress.start(members.count())
    with tempfile.TemporaryFile() as spool:
        count = write_xlsx(
            spool,
            headers=headers(personal=personal),
            rows=rows(members, personal=personal),
            title=_("Members"),
            on_row=progress.advance,
        )
        spool.seek(0)
        jobs.attach_result(job, name=filename(unit), file=File(spool))
    services.member_list_exported(
        by=user, unit=unit, query=job.params.get("query", ""), rows=count, personal=personal
    )
    job.message = _("%(count)s members exported.") % {"count": count}
