"""Fixtures for the import tests: files on disk, a registrar of HT-DT-0001, media in tmp."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.imports.helpers import read
from unionhub.core import scope
from unionhub.imports import services
from unionhub.imports.reader import auto_mapping


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the source language); test_translations.py checks the
    Vietnamese ones."""
    with translation.override("en"):
        yield


@pytest.fixture
def registrar(tree, officer_at):
    """A registrar of HT-DT (the district): reaches both of its grassroots unions."""
    return officer_at(tree.district_a, scope.REGISTRAR)


@pytest.fixture
def check(tree, registrar):
    """check(file name, unit=…) → the dry run's Outcome."""

    def run(name: str, unit=None, by=None):
        table = read(name)
        return services.import_check(
            table=table,
            unit=unit or tree.grassroots_a1,
            by=by or registrar,
            mapping=auto_mapping(table.headers),
        )

    return run


@pytest.fixture
def commit(tree, registrar):
    """commit(file name, unit=…) → the committed Outcome."""

    def run(name: str, unit=None, by=None):
        table = read(name)
        return services.members_import(
            table=table,
            unit=unit or tree.grassroots_a1,
            by=by or registrar,
            mapping=auto_mapping(table.headers),
            filename=name,
        )

    return run
