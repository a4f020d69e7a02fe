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


# The actor of a write (`by`) and the reader of a scoped read (`user`) are typed in the
# contracts, as `core.types.User` or `AnyUser`: mypy then checks every caller hands over a user,
# which `Any` (or no annotation) would let through unseen.
ACTORS = {"by", "user"}


def contract_modules() -> list[Path]:
    return sorted(
        path
        for path in SOURCE.rglob("*.py")
        if "migrations" not in path.parts
        and (path.name in {"services.py", "selectors.py"} or path.parent.name == "services")
    )


def mentions_any(annotation: ast.expr) -> bool:
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        annotation = ast.parse(annotation.value, mode="eval").body
    return any(
        (isinstance(node, ast.Name) and node.id == "Any")
        or (isinstance(node, ast.Attribute) and node.attr == "Any")
        for node in ast.walk(annotation)
    )


def untyped_actors(path: Path) -> list[str]:
    """`path:line name` for each `by` or `user` parameter typed `Any` or not at all."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        arguments = node.args
        for arg in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]:
            if arg.arg in ACTORS and (arg.annotation is None or mentions_any(arg.annotation)):
                found.append(f"{path}:{arg.lineno} {arg.arg}")
    return found


def test_services_and_selectors_type_their_actor():
    modules = contract_modules()
    assert SOURCE / "members" / "services" / "transfers.py" in modules
    assert SOURCE / "finance" / "selectors.py" in modules
    wrong = [where.removeprefix(f"{SOURCE}/") for path in modules for where in untyped_actors(path)]
    assert wrong == []


def test_the_actor_check_sees_any_and_missing_annotations(tmp_path):
    module = tmp_path / "services.py"
    module.write_text(
        "import typing\n"
        "def a(*, by: Any): ...\n"
        "def b(user): ...\n"
        "async def c(user: 'Any | None'): ...\n"
        "def d(by: typing.Any): ...\n"
        "def e(*, by: User, user: AnyUser, unit: Any): ...\n"
    )
    assert untyped_actors(module) == [
        f"{module}:2 by",
        f"{module}:3 user",
        f"{module}:4 user",
        f"{module}:5 by",
    ]
