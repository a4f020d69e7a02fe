"""Vietnamese is complete: every string in the source has a translation in its app's catalogue."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

import unionhub

SRC = Path(unionhub.__file__).parent
CATALOGUES = sorted(SRC.glob("*/locale/vi/LC_MESSAGES/django.po"))


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_catalogue_is_fully_translated_and_compiled(po_path):
    catalogue = polib.pofile(str(po_path))
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []
    compiled = polib.mofile(str(po_path.with_suffix(".mo")))
    assert {e.msgid for e in compiled} >= {e.msgid for e in catalogue.translated_entries()}


@pytest.mark.skipif(not shutil.which("xgettext"), reason="GNU gettext (xgettext) is not installed")
def test_every_source_string_is_in_a_catalogue(tmp_path):
    """Regenerate the catalogues from a copy of the source; no msgid may be new."""
    copy = tmp_path / "unionhub"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    missing = []
    for app_dir in sorted(p.parent for p in copy.glob("*/apps.py")):
        (app_dir / "locale").mkdir(exist_ok=True)
        subprocess.run(
            # The console script, not `python -m`: that would put the app folder on sys.path,
            # where orgs/selectors.py shadows the standard library's selectors.
            [
                str(Path(sys.executable).parent / "unionhub"),
                "makemessages",
                "-l",
                "vi",
                "--ignore",
                "migrations/*",
                "--ignore",
                "data/*",
                "-v0",
            ],
            cwd=app_dir,
            check=True,
        )
        fresh = app_dir / "locale/vi/LC_MESSAGES/django.po"
        if not fresh.exists():
            continue
        committed = SRC / app_dir.name / "locale/vi/LC_MESSAGES/django.po"
        known = {e.msgid for e in polib.pofile(str(committed))} if committed.exists() else set()
        missing += [
            f"{app_dir.name}: {e.msgid}" for e in polib.pofile(str(fresh)) if e.msgid not in known
        ]
    assert missing == []
