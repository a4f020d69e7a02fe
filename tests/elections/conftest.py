"""The congress tests' province congress (tests.congress.helpers), built once per module, with
everyone but the guest checked in to the opening session."""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests import world
from tests.congress import helpers
from tests.congress.helpers import Setup
from unionhub.congress import services as congress_services


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with world.kept_for_module(django_db_blocker), override_settings(MEDIA_ROOT=media):
        admin = world.make_superuser()
        tree = world.build_tree(admin)
        setup = helpers.build_setup(tree, lambda unit, role: world.make_officer(tree, unit, role))
        for delegate in [*setup.elected[:-1], setup.ex_officio, setup.guest]:
            congress_services.checkin_manual(
                session=setup.opening, delegate=delegate, by=setup.organiser
            )
        yield tree, setup


@pytest.fixture
def tree(module_world, db):
    return world.refetched(module_world[0])


@pytest.fixture
def setup(module_world, tree) -> Setup:
    return helpers.refetched(module_world[1])
