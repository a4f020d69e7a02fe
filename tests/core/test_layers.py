"""The apps' dependency order, written once: an app may import only the apps listed for it here
(CONTRIBUTING.md "Layers" explains it). Anything else reaches another app through that app's
signals or core.registry. The test reads every module's imports, including imports inside
functions and `import_module("unionhub.…")` with a literal name."""

from __future__ import annotations

import ast
from pathlib import Path

import unionhub

FOUNDATION = {"core", "audit", "orgs", "members"}
MAY_IMPORT: dict[str, set[str]] = {
    "core": set(),
    "audit": {"core"},
    "orgs": {"core", "audit"},
    "members": {"core", "audit", "orgs"},
    # The domain apps: siblings on the foundation, except where one is built on another.
    "imports": FOUNDATION,
    "cards": FOUNDATION,
    "reports": FOUNDATION,
    "congress": FOUNDATION,
    "dispatch": FOUNDATION,
    "finance": FOUNDATION,
    "privacy": FOUNDATION,
    # An award's decision is an issued document; support from the union's money is booked.
    "movements": FOUNDATION | {"dispatch", "finance"},
    "news": FOUNDATION,
    "training": FOUNDATION,
    "display": FOUNDATION | {"congress"},  # the kiosk shows the congress sitting now
    "elections": FOUNDATION | {"congress"},  # votes of the congress's checked-in delegates
    # The top: they gather every app's `api` / `demo` module through the app registry.
    "api": FOUNDATION,
    "demo": FOUNDATION,
    "formats": set(),
}
SOURCE = Path(unionhub.__file__).parent


def imported_apps(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", None)) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names.add(node.args[0].value)
    return {name.split(".")[1] for name in names if name.startswith("unionhub.") and "." in name}


def test_every_app_is_in_the_order():
    apps = {path.name for path in SOURCE.iterdir() if (path / "__init__.py").exists()}
    assert apps == set(MAY_IMPORT)


def test_apps_import_only_the_apps_below_them():
    wrong = []
    for path in sorted(SOURCE.rglob("*.py")):
        parts = path.relative_to(SOURCE).parts
        if len(parts) < 2 or "migrations" in parts:
            continue
        app = parts[0]
        for other in sorted(imported_apps(path) - MAY_IMPORT[app] - {app}):
            wrong.append(f"{path.relative_to(SOURCE)} imports unionhub.{other}")
    assert wrong == []


def test_the_check_sees_imports_inside_functions_and_by_name(tmp_path):
    module = tmp_path / "m.py"
    module.write_text(
        "def f():\n"
        "    from unionhub.cards import models\n"
        "    import_module('unionhub.reports.views')\n"
        "import unionhub.congress.services\n"
    )
    assert imported_apps(module) == {"cards", "reports", "congress"}
