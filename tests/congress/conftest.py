"""A province congress with three sessions, delegates of every category and documents of every
visibility, plus a district congress to prove that tokens and organisers stay in their own.

Building it takes ~20 service calls and four PDFs, so it is built once per test module and each
test gets fresh instances of the same rows (its own changes roll back as usual)."""

from __future__ import annotations

import shutil

import pytest
from django.test import override_settings

from tests import world
from tests.congress import helpers
from tests.congress.helpers import Setup


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with world.kept_for_module(django_db_blocker), override_settings(MEDIA_ROOT=media):
        admin = world.make_superuser()
        tree = world.build_tree(admin)
        setup = helpers.build_setup(tree, lambda unit, role: world.make_officer(tree, unit, role))
        yield tree, setup, media


@pytest.fixture(autouse=True)
def media(settings, tmp_path, request):
    settings.MEDIA_ROOT = tmp_path / "media"
    if "module_world" in request.fixturenames:
        shutil.copytree(request.getfixturevalue("module_world")[2], settings.MEDIA_ROOT)


@pytest.fixture
def superuser(tree):
    return tree.admin


@pytest.fixture
def tree(module_world, db):
    return world.refetched(module_world[0])


@pytest.fixture
def setup(module_world, tree) -> Setup:
    return helpers.refetched(module_world[1])
