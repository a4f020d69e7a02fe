"""A member spreadsheet read through core.spreadsheets (within bounds), its header row found and
its columns matched by the member columns' names (imports.columns)."""

from __future__ import annotations

from unionhub.core.spreadsheets import Table
from unionhub.core.spreadsheets import read_table as read_spreadsheet
from unionhub.imports.columns import IGNORE, match_header, matcher

__all__ = ["Table", "auto_mapping", "read_table"]


def read_table(data: bytes, filename: str) -> Table:
    """Read `data` (the uploaded file's bytes) into a Table; DomainError if it is not a
    spreadsheet, has no header row or is beyond the limits (core.spreadsheets)."""
    return read_spreadsheet(data, filename, matcher=matcher())


def auto_mapping(headers: list[str]) -> dict[int, str]:
    """Column index → field for the headers recognised; IGNORE columns are left out, and a
    field named twice keeps its first column."""
    mapping: dict[int, str] = {}
    taken: set[str] = set()
    for index, header in enumerate(headers):
        key = match_header(header)
        if key and key != IGNORE and key not in taken:
            mapping[index] = key
            taken.add(key)
    return mapping
