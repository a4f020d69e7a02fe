"""The members of a unit written in the import template's layout, to edit and import back."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from typing import IO, Any

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from unionhub.audit.services import TargetRef, log, log_many
from unionhub.core import jobs, scope
from unionhub.core.models import Job
from unionhub.core.types import User
from unionhub.core.xlsx import write_xlsx
from unionhub.imports import selectors
from unionhub.imports.actions import Action
from unionhub.imports.columns import COLUMNS, UNIT_CODE
from unionhub.members.actions import Action as MemberAction
from unionhub.members.models import (
    Member,
)
from unionhub.orgs.models import Unit

EXPORT_JOB = "imports.export"


@transaction.atomic
def members_export_start(*, unit: Unit, by: User, language: str = "vi") -> Job:
    """Queue an export of `unit`'s members in the import template's layout."""
    scope.require(by, scope.REGISTRAR, unit)
    return jobs.job_start(
        kind=EXPORT_JOB,
        title=_("Members of %(unit)s, import layout") % {"unit": unit.name},
        owner=by,
        params={"unit": unit.pk, "language": language},
    )


SENSITIVE_EXPORTED = ("ethnicity", "religion")


def members_export(
    *, unit: Unit, by: User, out: IO[bytes], advance: Callable[[], None] | None = None
) -> int:
    """Write the current members of `unit`'s subtree in the import template's layout, so the
    file can be edited and imported back. Ethnicity and religion are in it: each member's
    appearance is logged as a view of sensitive data (DESIGN §2)."""
    members = selectors.export_members(user=by, unit=unit)
    exported: list[TargetRef] = []

    def rows() -> Iterator[list[Any]]:
        for member in members.iterator(chunk_size=2000):
            exported.append(TargetRef(Member, member.pk, member.full_name))
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
            MemberAction.MEMBER_SENSITIVE_VIEWED,
            exported,
            {"fields": list(SENSITIVE_EXPORTED), "via": "export"},
        )
        log(by, Action.MEMBERS_EXPORTED, unit, {"members": count})
    return count


def _export_value(member: Member, key: str) -> Any:
    if key == UNIT_CODE:
        return member.unit.code
    value = getattr(member, key)
    if key == "gender":
        return {"male": "Nam", "female": "Nữ"}.get(value, "")
    if key == "id_kind":
        return {"cccd": "CCCD", "cmnd": "CMND", "passport": "Hộ chiếu"}.get(value, "")
    return value


def export_to_job(*, job: Job, unit: Unit, by: User, advance: Callable[[], None]) -> int:
    with tempfile.TemporaryFile() as out:
        count = members_export(unit=unit, by=by, out=out, advance=advance)
        out.seek(0)
        name = f"doan-vien-{unit.code}.xlsx"
        jobs.attach_result(job, name=name, file=File(out, name=name))
    return count
