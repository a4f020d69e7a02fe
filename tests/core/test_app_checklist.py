"""The parts of CONTRIBUTING.md "Adding an app" a test can check, for every app at once."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

import unionhub
from tests.core.test_layers import MAY_IMPORT

SOURCE = Path(unionhub.__file__).parent
README = (SOURCE.parents[1] / "README.md").read_text(encoding="utf-8")
PACKAGES = sorted(p.parent.name for p in SOURCE.glob("*/__init__.py"))
APPS = sorted(p.parent.name for p in SOURCE.glob("*/apps.py"))


@pytest.mark.parametrize("package", PACKAGES)
def test_every_package_is_in_the_readme_table_and_the_layers(package):
    assert f"`src/unionhub/{package}/`" in README
    assert package in MAY_IMPORT


@pytest.mark.parametrize("app", APPS)
def test_every_app_is_installed(app):
    assert f"unionhub.{app}" in settings.INSTALLED_APPS


@pytest.mark.parametrize("app", APPS)
def test_an_app_that_audits_declares_its_actions(app):
    """Whoever writes audit rows names them once, with labels the histories show."""
    if not (SOURCE / app / "actions.py").exists():
        services = SOURCE / app / "services.py"
        written = services.read_text(encoding="utf-8") if services.exists() else ""
        assert f'log(by, "{app}.' not in written, f"{app} writes audit names without actions.py"
        return
    module = importlib.import_module(f"unionhub.{app}.actions")
    assert apps.get_app_config(app).audit_actions is module.Action
    assert all(value.startswith(f"{app}.") for value in module.Action.values)
