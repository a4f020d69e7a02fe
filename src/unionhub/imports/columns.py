"""The columns of a member spreadsheet: the template's Vietnamese headers, the synonyms officers
write instead, and how a header on a real file is matched to a field."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from unionhub.core import registry, spreadsheets
from unionhub.core.spreadsheets import HeaderMatcher

UNIT_CODE = "unit_code"
IGNORE = spreadsheets.IGNORE  # a column deliberately left out


@dataclass(frozen=True)
class Column:
    key: str  # a Member profile field, `joined`, UNIT_CODE, or a contributed column's key
    header: str  # the template's header: Vietnamese, as the federations' own forms
    label: object  # shown in the mapping step, translated
    synonyms: tuple[str, ...] = ()
    required: bool = False
    width: int = 16
    hint: str = ""  # the template's note under the header (instructions sheet)


COLUMNS: tuple[Column, ...] = (
    Column(
        "full_name",
        "Họ và tên",
        _("Full name"),
        ("ho ten", "full name", "name", "ho va ten doan vien", "ten doan vien", "ho ten doan vien"),
        required=True,
        width=26,
        hint="Họ, tên đệm và tên, ví dụ: Nguyễn Văn Trọng",
    ),
    Column(
        "birth_date",
        "Ngày sinh",
        _("Date of birth"),
        ("ngay thang nam sinh", "date of birth", "dob", "birth date", "nam sinh", "sinh ngay"),
        width=13,
        hint="dd/mm/yyyy; chỉ năm sinh (yyyy) cũng được",
    ),
    Column(
        "gender",
        "Giới tính",
        _("Gender"),
        ("gioi", "gender", "sex", "nam nu", "phai"),
        required=True,
        width=10,
        hint="Nam hoặc Nữ",
    ),
    Column(
        "id_kind",
        "Loại giấy tờ",
        _("Identity document"),
        ("loai giay to tuy than", "document type", "id type", "loai giay to"),
        width=12,
        hint="CCCD, CMND hoặc Hộ chiếu; để trống là CCCD",
    ),
    Column(
        "id_number",
        "Số CCCD/CMND/Hộ chiếu",
        _("Document number"),
        (
            "so cccd",
            "cccd",
            "so cmnd",
            "cmnd",
            "so can cuoc",
            "can cuoc cong dan",
            "so can cuoc cong dan",
            "so dinh danh",
            "so dinh danh ca nhan",
            "id number",
            "so ho chieu",
            "so giay to",
            "cccd cmnd",
            "so cccd cmnd",
            "cmnd cccd",
            "so cmnd cccd",
        ),
        width=18,
        hint="12 chữ số; định dạng ô là Văn bản để giữ số 0 đầu",
    ),
    Column("ethnicity", "Dân tộc", _("Ethnicity"), ("ethnicity", "dan toc"), width=12),
    Column("religion", "Tôn giáo", _("Religion"), ("religion",), width=12),
    Column("nationality", "Quốc tịch", _("Nationality"), ("nationality",), width=12),
    Column(
        "home_town",
        "Quê quán",
        _("Home town"),
        ("nguyen quan", "home town", "hometown", "que"),
        width=24,
    ),
    Column(
        "address",
        "Nơi ở hiện nay",
        _("Address"),
        ("dia chi", "cho o hien nay", "address", "noi o", "dia chi thuong tru", "thuong tru"),
        width=30,
    ),
    Column(
        "phone",
        "Số điện thoại",
        _("Phone"),
        ("dien thoai", "sdt", "so dt", "dt", "phone", "mobile", "di dong", "dien thoai di dong"),
        width=14,
    ),
    Column("email", "Email", _("E-mail"), ("e mail", "thu dien tu", "mail"), width=22),
    Column(
        "education",
        "Trình độ học vấn",
        _("General education"),
        ("trinh do van hoa", "hoc van", "education", "trinh do pho thong", "van hoa"),
        width=12,
        hint="Ví dụ: 12/12",
    ),
    Column(
        "qualification",
        "Trình độ chuyên môn",
        _("Professional qualification"),
        ("chuyen mon", "chuyen mon nghiep vu", "trinh do chuyen mon nghiep vu", "qualification"),
        width=18,
    ),
    Column(
        "political_theory",
        "Lý luận chính trị",
        _("Political theory"),
        ("trinh do ly luan chinh tri", "llct", "political theory", "chinh tri"),
        width=14,
    ),
    Column(
        "occupation",
        "Nghề nghiệp",
        _("Occupation"),
        ("chuc danh", "occupation", "cong viec", "nghe nghiep chuc danh", "chuc vu"),
        width=18,
    ),
    Column(
        "employer",
        "Đơn vị sử dụng lao động",
        _("Employer"),
        ("doanh nghiep", "employer", "cong ty", "co quan", "co quan don vi"),
        width=26,
    ),
    Column(
        "workplace",
        "Nơi làm việc",
        _("Workplace"),
        ("workplace", "bo phan", "noi cong tac", "bo phan cong tac"),
        width=22,
    ),
    Column(
        "joined",
        "Ngày vào công đoàn",
        _("Join date"),
        (
            "ngay ket nap",
            "ngay gia nhap",
            "ngay vao cd",
            "join date",
            "joined",
            "ngay ket nap cong doan",
            "ngay gia nhap cong doan",
            "ngay vao cong doan viet nam",
        ),
        required=True,
        width=13,
        hint="dd/mm/yyyy",
    ),
    Column(
        "admission_decision",
        "Số quyết định kết nạp",
        _("Admission decision"),
        ("quyet dinh ket nap", "so qd", "so qd ket nap", "admission decision", "so quyet dinh"),
        width=16,
    ),
    Column(
        UNIT_CODE,
        "Mã công đoàn cơ sở",
        _("Unit code"),
        ("ma don vi", "ma cdcs", "unit code", "ma cong doan", "ma cong doan co so"),
        width=14,
        hint="Để trống: đơn vị chọn khi nhập",
    ),
)
REQUIRED = tuple(column.key for column in COLUMNS if column.required)

# Headers that are recognised and deliberately not imported: row numbers, and the columns our
# own error report adds (so a fixed error report goes straight back in).
IGNORED_HEADERS = (
    "stt",
    "tt",
    "so thu tu",
    "no",
    "loi",
    "cac loi",
    "error",
    "errors",
    "dong",
    "dong goc",
    "row",
    "ghi chu loi",
)
ERROR_HEADER = "Lỗi"
ROW_HEADER = "Dòng gốc"


def contributed() -> dict[str, registry.ImportColumn]:
    """The columns upper apps add (core.registry `import_columns`), by key."""
    return registry.import_columns()


@functools.cache
def all_columns() -> tuple[Column, ...]:
    """The registry's columns, then the ones upper apps add: the template's, the mapping's."""
    return COLUMNS + tuple(
        Column(extra.key, extra.header, extra.label, extra.synonyms, width=14, hint=extra.hint)
        for extra in contributed().values()
    )


def by_key() -> dict[str, Column]:
    return {column.key: column for column in all_columns()}


@functools.cache
def matcher() -> HeaderMatcher:
    return HeaderMatcher(
        {
            column.key: (column.header, str(column.key).replace("_", " "), *column.synonyms)
            for column in all_columns()
        },
        ignored=IGNORED_HEADERS,
    )


def match_header(header: object) -> str | None:
    return matcher().match(header)


# The comparable form of a header (folded, no punctuation), for remembered layouts.
header_key = spreadsheets.header_key


def layout_signature(headers: list[str]) -> str:
    """Identifies a spreadsheet layout by its folded headers, for remembered mappings."""
    return hashlib.sha256("\x1f".join(header_key(h) for h in headers).encode()).hexdigest()


def missing_required(mapping: Mapping[Any, str]) -> list[str]:
    """The required fields no column is mapped to (`mapping`: column → field, whether the
    column is its index or, as stored on a batch, the index as text)."""
    present = set(mapping.values())
    return [key for key in REQUIRED if key not in present]
