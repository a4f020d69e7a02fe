"""`unionhub import-members`: the same pipeline from the command line."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from tests.imports.helpers import FILES
from unionhub.members.models import Member

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    try:
        call_command("import-members", *args, stdout=out)
    except SystemExit as exit_:
        return exit_.code, out.getvalue()
    return 0, out.getvalue()


def test_dry_run_writes_nothing_and_fails_on_row_errors(tree, tmp_path):
    errors = tmp_path / "errors.xlsx"
    code, out = run(
        str(FILES / "errors.xlsx"), "--unit", "ht-dt-0001", "--dry-run", "--errors", str(errors)
    )
    assert code == 1
    assert out.strip() == (
        "dry run: 7 rows: 1 new, 0 updated, 0 unchanged, 0 transfer requests, 6 errors, 0 warnings"
    )
    assert Member.objects.count() == 0
    assert load_workbook(errors).active.max_row == 7  # header + six failed rows


def test_import_then_again_changes_nothing_and_exits_zero(tree):
    code, out = run(str(FILES / "merged_title.xlsx"), "--unit", "HT-DT-0001")
    assert (code, out.strip()) == (
        0,
        "2 rows: 2 new, 0 updated, 0 unchanged, 0 transfer requests, 0 errors, 0 warnings",
    )
    code, out = run(str(FILES / "merged_title.xlsx"), "--unit", "HT-DT-0001")
    assert (code, out.strip()) == (
        0,
        "2 rows: 0 new, 0 updated, 2 unchanged, 0 transfer requests, 0 errors, 0 warnings",
    )
    assert Member.objects.count() == 2


def test_unknown_unit_and_unknown_layout_are_refused(tree):
    with pytest.raises(CommandError, match="outside the units"):
        run(str(FILES / "merged_title.xlsx"), "--unit", "NOPE")
    with pytest.raises(CommandError, match="Columns not recognised: full_name, gender, joined"):
        run(str(FILES / "unknown_headers.xlsx"), "--unit", "HT-DT-0001")
