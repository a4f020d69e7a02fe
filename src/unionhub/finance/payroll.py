"""The payroll import: member identifier and salary base of one month, from XLSX or CSV.

Read through core.spreadsheets like every import; every row is checked before anything is
written, so a file with a problem writes nothing, and a dry run says what would be stored.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _

from unionhub.core import scope, spreadsheets, uploads
from unionhub.core.errors import DomainError
from unionhub.core.spreadsheets import ImportProblem, ImportRejected
from unionhub.core.text import fold, nfc
from unionhub.core.types import User
from unionhub.finance import money, services
from unionhub.finance.models import DuesBatch, MemberGroup
from unionhub.finance.selectors import require_books
from unionhub.members.identity import normalise_number, zeros_restored
from unionhub.members.models import HOLDING_STATES, Member
from unionhub.orgs.models import Unit

# Each column's names, the template's header first (matched folded, spacing ignored).
COLUMNS = {
    "member": ("Mã đoàn viên", "member number", "member id", "mã số"),
    "id_number": (
        "Số CCCD",
        "cccd",
        "id number",
        "document number",
        "số định danh",
        "số cccd/cmnd/hộ chiếu",
        "số giấy tờ",
    ),
    "salary": (
        "Lương tính đoàn phí",
        "salary",
        "salary base",
        "lương",
        "mức lương",
        "lương đóng bhxh",
        "tiền lương",
    ),
    "group": ("Nhóm", "group", "member group"),
    "full_name": ("Họ và tên", "full name", "name", "họ tên"),
}
MATCHER = spreadsheets.HeaderMatcher(COLUMNS)


@dataclass
class PayrollResult:
    rows: int
    total: int
    dry_run: bool
    problems: list[ImportProblem] = field(default_factory=list)


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # calamine reads every number as float
    return nfc(str(value)).strip() if value is not None else ""


def _amount(value: Any) -> int | None:
    """A salary cell as whole đồng: a number, or text with dot/comma/space thousands."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() else None
    text = _text(value).replace(".", "").replace(",", "").replace(" ", "").replace("₫", "")
    text = text.removesuffix("đ").removesuffix("VND")
    if text.lstrip("-").isdigit():
        return int(text)
    return None


def _group(value: str) -> str | None:
    if not value:
        return MemberGroup.ALL
    for choice in MemberGroup:
        if value.lower() in (choice.value, str(choice.label).lower()):
            return choice.value
    return None


def _document(value: Any) -> str:
    """A document number cell as the registry stores it: without the spaces, dots or dashes
    typed between groups of digits, upper-case, and with the zeros Excel drops put back."""
    return zeros_restored(normalise_number("", _text(value)).upper())


# The label of a payroll's total or subtotal row ("Tổng cộng", "Cộng trang 1", "Total"), folded.
# A whole label, not a first word: "Công Tằng Tôn Nữ Thị Hoa" is a name.
_TOTAL_LABEL = re.compile(r"^(tong cong|tong so|tong|cong|total|sum)( (trang|page))?( ?\d+)?:?$")


def _total_row(row: list[Any], identifiers: tuple[int | None, ...]) -> bool:
    """A row that names no one: no identifier, and no text but a total's label (or none): the
    sums accountants put under a payroll. A row with a name and no identifier is someone's
    salary that cannot be matched, and is reported."""
    if any(i is not None and i < len(row) and _text(row[i]) for i in identifiers):
        return False
    texts = [fold(value).strip() for value in row if isinstance(value, str) and value.strip()]
    return all(_TOTAL_LABEL.match(text) for text in texts)


def payroll_import(
    *, unit: Unit, month: dt.date, file: IO[bytes], by: User, dry_run: bool = False
) -> PayrollResult:
    """Check every row of the payroll file; unless `dry_run`, store the salaries of the month
    for the members of `unit`'s subtree. ImportRejected (nothing written) on any problem."""
    require_books(by, unit)
    if month.day != 1:
        raise DomainError("month_not_first_day", _("A month is given by its first day."))
    posted = DuesBatch.objects.filter(scope.subtree_q(unit.path, via="unit"), month=month)
    if posted.exclude(entry=None).exists():
        raise DomainError(
            "month_posted",
            _("Dues of %(month)s are already posted: their salaries cannot be imported again.")
            % {"month": month.strftime("%m/%Y")},
        )
    uploads.check_size(file, uploads.PAYROLL_IMPORT, field="file")
    data = file.read(uploads.max_bytes(uploads.PAYROLL_IMPORT) + 1)
    uploads.check_size(data, uploads.PAYROLL_IMPORT, field="file")
    table = spreadsheets.read_table(
        data, getattr(file, "name", "") or "payroll.xlsx", matcher=MATCHER
    )
    columns: dict[str, int] = {}
    for index, heading in enumerate(table.headers):
        key = MATCHER.match(heading)
        if key and key not in columns:
            columns[key] = index
    problems: list[ImportProblem] = []
    if "salary" not in columns:
        problems.append(
            ImportProblem(
                table.header_row,
                COLUMNS["salary"][0],
                _("The column “%(name)s” is missing.") % {"name": COLUMNS["salary"][0]},
            )
        )
    if "member" not in columns and "id_number" not in columns:
        problems.append(
            ImportProblem(
                table.header_row,
                COLUMNS["member"][0],
                _("A column “%(member)s” or “%(id)s” is needed to know whose salary each row is.")
                % {"member": COLUMNS["member"][0], "id": COLUMNS["id_number"][0]},
            )
        )
    if problems:
        raise ImportRejected(problems)

    def cell(row: list[Any], key: str) -> Any:
        index = columns.get(key)
        return row[index] if index is not None and index < len(row) else None

    def header(key: str) -> str:
        return table.headers[columns[key]] if key in columns else COLUMNS[key][0]

    raw = [
        (number, _text(cell(row, "member")), _document(cell(row, "id_number")), row)
        for number, row in table.rows
        if not _total_row(row, (columns.get("member"), columns.get("id_number")))
    ]
    # Every identifier of the file in two queries, inside the unit's subtree only: a member of
    # another union is "unknown" here, whether or not they exist.
    members = Member.objects.filter(
        scope.subtree_q(unit.path, via="unit"), state__in=HOLDING_STATES
    )
    pks = [int(m) for _n, m, _i, _r in raw if m.isdigit()]
    numbers = [i for _n, _m, i, _r in raw if i]
    by_pk = {m.pk: m for m in members.filter(pk__one_of=pks)} if pks else {}
    by_number = (
        {m.id_number: m for m in members.filter(id_number__one_of=numbers)} if numbers else {}
    )
    rows: list[services.SalaryRow] = []
    seen: dict[int, int] = {}
    for number, member_ref, id_number, row in raw:
        member = None
        if member_ref:
            member = by_pk.get(int(member_ref)) if member_ref.isdigit() else None
            column = header("member")
        else:
            member = by_number.get(id_number)
            column = header("id_number")
        if member is None:
            problems.append(
                ImportProblem(
                    number,
                    column,
                    _("No member “%(ref)s” in %(unit)s.")
                    % {"ref": member_ref or id_number or "—", "unit": unit.name},
                )
            )
            continue
        if member.pk in seen:
            problems.append(
                ImportProblem(
                    number,
                    column,
                    _("The same member is on row %(row)d.") % {"row": seen[member.pk]},
                )
            )
            continue
        seen[member.pk] = number
        amount = _amount(cell(row, "salary"))
        if amount is None:
            problems.append(
                ImportProblem(
                    number,
                    header("salary"),
                    _("“%(value)s” is not an amount in đồng.")
                    % {"value": _text(cell(row, "salary"))},
                )
            )
            continue
        if amount < 0 or amount > services.MAX_MONTHLY_SALARY:
            problems.append(
                ImportProblem(
                    number,
                    header("salary"),
                    _("%(amount)s is not a plausible monthly salary.")
                    % {"amount": money.vnd(amount)},
                )
            )
            continue
        group = _group(_text(cell(row, "group")))
        if group is None:
            problems.append(
                ImportProblem(
                    number,
                    header("group"),
                    _("“%(value)s” is not a member group.") % {"value": _text(cell(row, "group"))},
                )
            )
            continue
        rows.append(services.SalaryRow(member.pk, amount, group))
    if problems:
        raise ImportRejected(problems)
    if not rows:
        raise DomainError("payroll_empty", _("The file holds no salaries."))
    total = sum(r.amount for r in rows)
    if not dry_run:
        try:
            services.salaries_store(unit=unit, month=month, rows=rows, by=by)
        except DomainError as error:
            raise ImportRejected([ImportProblem(table.header_row, "", str(error))]) from error
    return PayrollResult(rows=len(rows), total=total, dry_run=dry_run)
