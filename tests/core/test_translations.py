"""Vietnamese is complete: every string in the source has a translation in its app's catalogue."""

import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

import unionhub

pytestmark = pytest.mark.no_database

SRC = Path(unionhub.__file__).parent
CATALOGUES = sorted(SRC.glob("*/locale/vi/LC_MESSAGES/django.po"))
APPS = sorted(p.parent.name for p in SRC.glob("*/apps.py"))


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_catalogue_is_fully_translated_and_compiled(po_path):
    catalogue = polib.pofile(str(po_path))
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []
    compiled = polib.mofile(str(po_path.with_suffix(".mo")))
    assert {e.msgid for e in compiled} >= {e.msgid for e in catalogue.translated_entries()}


@pytest.mark.skipif(not shutil.which("xgettext"), reason="GNU gettext (xgettext) is not installed")
@pytest.mark.parametrize("app", APPS)
def test_every_source_string_is_in_a_catalogue(app, tmp_path, monkeypatch):
    """Regenerate the app's catalogue from a copy of its source; no msgid may be new. One test
    per app, so that the apps' extractions run side by side; in the test's own process (from
    the copy's folder, as `makemessages` reads the current one), where a command of its own
    started Django again for each app."""
    app_dir = tmp_path / app
    shutil.copytree(SRC / app, app_dir, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    (app_dir / "locale").mkdir(exist_ok=True)
    monkeypatch.chdir(app_dir)
    call_command(
        "makemessages", locale=["vi"], ignore_patterns=["migrations/*", "data/*"], verbosity=0
    )
    fresh = app_dir / "locale/vi/LC_MESSAGES/django.po"
    if not fresh.exists():
        return
    committed = SRC / app / "locale/vi/LC_MESSAGES/django.po"
    known = {e.msgid for e in polib.pofile(str(committed))} if committed.exists() else set()
    missing = [f"{app}: {e.msgid}" for e in polib.pofile(str(fresh)) if e.msgid not in known]
    assert missing == []


def test_a_message_shared_by_two_apps_has_one_translation():
    """All apps' catalogues merge into one; the first app's msgstr wins for a shared msgid.

    A different translation in a later app would never be shown, so it hides a mistake: where a
    word means something else in another app, that app must give it a context (pgettext).
    """
    seen: dict[tuple[str | None, str], tuple[str, str]] = {}
    clashes = []
    for po_path in CATALOGUES:
        app = po_path.parts[-5]
        for entry in polib.pofile(str(po_path)).translated_entries():
            key = (entry.msgctxt, entry.msgid)
            if key in seen and seen[key][1] != entry.msgstr:
                clashes.append(
                    f"{entry.msgid!r}: {seen[key][0]}={seen[key][1]!r}, {app}={entry.msgstr!r}"
                )
            seen.setdefault(key, (app, entry.msgstr))
    assert clashes == []
