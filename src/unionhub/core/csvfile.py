"""CSV output for every CSV UnionHub writes: UTF-8 with a BOM (Excel then reads Vietnamese
correctly) and text that cannot become a formula.

A CSV has no cell types: Excel and LibreOffice evaluate any field starting with "=", "+", "-",
"@", a tab or a carriage return. Such a field is written with a leading apostrophe, the usual
defence (OWASP).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse

from unionhub.core.xlsx import looks_like_formula

CSV_TYPE = "text/csv; charset=utf-8"


def safe_field(value: Any) -> Any:
    return f"'{value}" if looks_like_formula(value) else value


def write_csv(out: io.TextIOBase, *, headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> int:
    """Write the header row and `rows`; returns the rows written."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_field(str(header)) for header in headers])
    count = 0
    for row in rows:
        writer.writerow([safe_field(value) for value in row])
        count += 1
    return count


def csv_text(*, headers: Sequence[Any], rows: Iterable[Sequence[Any]] = ()) -> str:
    text = io.StringIO()
    write_csv(text, headers=headers, rows=rows)
    return "\ufeff" + text.getvalue()


def csv_response(
    filename: str, *, headers: Sequence[Any], rows: Iterable[Sequence[Any]] = ()
) -> HttpResponse:
    response = HttpResponse(csv_text(headers=headers, rows=rows), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
