"""The downloadable import template: the data sheet with Vietnamese headers and drop-down lists,
an instructions sheet, and the lists themselves on a hidden sheet; and the same as CSV."""

from __future__ import annotations

from typing import IO

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from unionhub.core import csvfile
from unionhub.imports.columns import UNIT_CODE, all_columns, contributed

DATA_ROWS = 5000  # rows prepared with formats and drop-downs; more can be added below
ETHNIC_GROUPS = (
    "Kinh", "Tày", "Thái", "Mường", "Khmer", "Hoa", "Nùng", "Mông", "Dao", "Gia Rai", "Ê Đê",
    "Ba Na", "Sán Chay", "Chăm", "Cơ Ho", "Xơ Đăng", "Sán Dìu", "Hrê", "Ra Glai", "Mnông",
    "Thổ", "Xtiêng", "Khơ Mú", "Bru - Vân Kiều", "Cơ Tu", "Giáy", "Tà Ôi", "Mạ", "Giẻ Triêng",
    "Co", "Chơ Ro", "Xinh Mun", "Hà Nhì", "Chu Ru", "Lào", "La Chí", "Kháng", "Phù Lá",
    "La Hủ", "La Ha", "Pà Thẻn", "Lự", "Ngái", "Chứt", "Lô Lô", "Mảng", "Cơ Lao", "Bố Y",
    "Cống", "Si La", "Pu Péo", "Rơ Măm", "Brâu", "Ơ Đu",
)  # fmt: skip
RELIGIONS = (
    "Không", "Phật giáo", "Công giáo", "Tin Lành", "Cao Đài", "Phật giáo Hòa Hảo", "Hồi giáo",
    "Baha'i", "Tịnh độ Cư sĩ Phật hội Việt Nam", "Cơ đốc Phục lâm", "Minh Sư Đạo",
    "Minh Lý Đạo", "Bà-la-môn", "Khác",
)  # fmt: skip
LISTS = {
    "gender": ("Nam", "Nữ"),
    "id_kind": ("CCCD", "CMND", "Hộ chiếu"),
    "ethnicity": ETHNIC_GROUPS,
    "religion": RELIGIONS,
    "education": ("12/12", "11/12", "10/12", "9/12", "10/10", "9/10", "Tiểu học"),
    "qualification": (
        "Chưa qua đào tạo", "Sơ cấp", "Trung cấp", "Cao đẳng", "Đại học", "Thạc sĩ", "Tiến sĩ",
    ),
    "political_theory": ("Sơ cấp", "Trung cấp", "Cao cấp", "Cử nhân"),
}  # fmt: skip
# Lists where anything else may be typed (a warning in Excel, not a refusal).
OPEN_LISTS = {"ethnicity", "religion", "education", "qualification"}
INSTRUCTIONS = (
    "HƯỚNG DẪN NHẬP DANH SÁCH ĐOÀN VIÊN",
    "",
    "1. Nhập mỗi đoàn viên trên một dòng của trang “Danh sách đoàn viên”, từ dòng 2.",
    "2. Cột có dấu (*) là bắt buộc với đoàn viên mới: Họ và tên, Giới tính, Ngày vào công đoàn.",
    "3. Ngày ghi theo dạng dd/mm/yyyy (ví dụ 17/05/1990). Ngày sinh có thể chỉ ghi năm.",
    "4. Số CCCD gồm 12 chữ số. Cột này đã định dạng Văn bản để giữ số 0 ở đầu; nếu dán từ tệp "
    "khác, hãy dán giá trị (Paste Values).",
    "5. Giới tính, loại giấy tờ, dân tộc, tôn giáo, trình độ: chọn trong danh sách thả xuống.",
    "6. Mã công đoàn cơ sở: để trống thì đoàn viên thuộc đơn vị chọn khi nhập; ghi mã để nhập "
    "cho nhiều công đoàn cơ sở trong cùng một tệp.",
    "7. Đoàn viên đã có (cùng số giấy tờ) sẽ được cập nhật; ô để trống không xoá dữ liệu đã có.",
    "8. Người đang là đoàn viên ở đơn vị khác sẽ được lập đề nghị chuyển sinh hoạt, không tạo "
    "bản ghi trùng.",
    "9. Trước khi nhập, hệ thống kiểm tra thử và liệt kê lỗi theo dòng, cột; tải báo cáo lỗi, "
    "sửa và tải lên lại.",
    "10. Các cột “Đồng ý…”: ghi ngày đoàn viên ký phiếu đồng ý, “Có” nếu ký hôm nay, “Không” "
    "hoặc để trống nếu chưa đồng ý. Sự đồng ý đã ghi nhận trước đó được giữ nguyên.",
    "",
    "CÁC CỘT",
)


def _header(column) -> str:
    return f"{column.header} (*)" if column.required else column.header


def write_template(out: IO[bytes]) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách đoàn viên"
    lists = workbook.create_sheet("Danh mục")
    guide = workbook.create_sheet("Hướng dẫn")
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="FCE4E4")
    for index, column in enumerate(all_columns(), start=1):
        cell = sheet.cell(row=1, column=index, value=_header(column))
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        if column.hint:
            cell.comment = Comment(column.hint, "UnionHub")
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.key in ("birth_date", "joined") or column.key in contributed():
            sheet.column_dimensions[letter].number_format = "DD/MM/YYYY"
        if column.key in ("id_number", "phone", UNIT_CODE):
            # Text cells keep the leading zeros Excel drops from numbers.
            for row in range(2, DATA_ROWS + 2):
                sheet.cell(row=row, column=index).number_format = "@"
    sheet.freeze_panes = "A2"
    for list_index, (key, values) in enumerate(LISTS.items(), start=1):
        letter = get_column_letter(list_index)
        lists.cell(row=1, column=list_index, value=key).font = bold
        for row, value in enumerate(values, start=2):
            lists.cell(row=row, column=list_index, value=value)
        column_index = next(i for i, c in enumerate(all_columns(), start=1) if c.key == key)
        target = get_column_letter(column_index)
        validation = DataValidation(
            type="list",
            formula1=f"'Danh mục'!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=True,
            showErrorMessage=key not in OPEN_LISTS,
            errorStyle="stop" if key not in OPEN_LISTS else "warning",
        )
        sheet.add_data_validation(validation)
        validation.add(f"{target}2:{target}{DATA_ROWS + 1}")
    lists.sheet_state = "hidden"
    for line in INSTRUCTIONS:
        guide.append([line])
    guide["A1"].font = Font(bold=True, size=13)
    for column in all_columns():
        guide.append(["", _header(column), column.hint])
    guide.column_dimensions["A"].width = 4
    guide.column_dimensions["B"].width = 30
    guide.column_dimensions["C"].width = 60
    workbook.save(out)


def template_csv() -> bytes:
    """The header row as CSV, UTF-8 with a BOM so Excel opens the Vietnamese right."""
    return csvfile.csv_text(headers=[_header(c) for c in all_columns()]).encode("utf-8")
