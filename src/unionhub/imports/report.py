"""What a dry run or a commit tells the officer: the figures, the problems shown on screen, and
the error report (the failed rows as they were, with an error column, ready to fix and upload)."""

from __future__ import annotations

from typing import IO, Any

from unionhub.core.xlsx import write_xlsx
from unionhub.imports.columns import ERROR_HEADER, ROW_HEADER
from unionhub.imports.pipeline import Analysis

SHOWN_PROBLEMS = 500  # on screen; the error report has every failed row


def summary(analysis: Analysis) -> dict[str, Any]:
    table = analysis.table
    return {
        "counts": analysis.counts,
        "problems": [p.as_dict() for p in analysis.problems[:SHOWN_PROBLEMS]],
        "problem_total": len(analysis.problems),
        "changes": analysis.changes,
        "recorded": analysis.recorded,
        "ignored": analysis.ignored,
        "columns": {str(index): key for index, key in analysis.mapping.items()},
        "header_row": table.header_row,
        "encoding": table.encoding,
        "sheet": table.sheet,
    }


def _cell(value: Any) -> Any:
    # Whole numbers back as integers: 42185004321.0 would show in Excel as 4.2185E+10.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def write_error_report(analysis: Analysis, out: IO[bytes]) -> int:
    """The failed rows under the file's own headers, the original row number first (ignored on
    re-import) and the errors last; returns the rows written."""
    headers = [ROW_HEADER, *analysis.table.headers, ERROR_HEADER]
    width = len(analysis.table.headers)
    rows = (
        [
            plan.number,
            *[_cell(v) for v in (plan.cells + [""] * width)[:width]],
            "; ".join(plan.errors),
        ]
        for plan in analysis.failed_rows()
    )
    return write_xlsx(out, headers=headers, rows=rows, title="Lỗi")
