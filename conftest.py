"""Fixtures shared by tests/ and e2e/: a small tree (province → two districts → grassroots
unions) and officers."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest

from tests import factories
from tests.world import Tree, build_tree, found_commune, make_officer, make_superuser
from unionhub.core import scope
from unionhub.orgs.models import Unit

_id_serial = itertools.count(1)


def pytest_configure(config):
    """Fast password hashing for tests only: the default hasher's million rounds cost about half a
    second per account, and every tree, officer and login makes one; no test is about hashing
    strength (production keeps Django's default)."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def superuser(db):
    return make_superuser()


@pytest.fixture
def tree(superuser) -> Tree:
    return build_tree(superuser)


@pytest.fixture
def commune(tree) -> Unit:
    return found_commune(tree)


@pytest.fixture
def officer_at(tree):
    """officer_at(unit, role) → a new user holding `role` at `unit`."""

    def make(unit: Unit, role: str = scope.VIEWER) -> Any:
        return make_officer(tree, unit, role)

    return make


@pytest.fixture
def registrar_a(tree, officer_at):
    return officer_at(tree.grassroots_a1, scope.REGISTRAR)


@pytest.fixture
def registrar_b(tree, officer_at):
    return officer_at(tree.grassroots_b1, scope.REGISTRAR)


@pytest.fixture
def admit(tree):
    """admit(unit=…, **profile) → a member admitted by the superuser, with sensible defaults."""

    def make(unit=None, by=None, joined=dt.date(2020, 3, 1), **profile):
        serial = next(_id_serial)
        female = profile.get("gender", "male") == "female"
        defaults = {
            "full_name": "Nguyễn Văn Trọng",
            "gender": "male",
            "birth_date": dt.date(1990, 5, 17),
            "id_number": factories.cccd(serial, female=female),
        }
        return factories.admit(
            unit or tree.grassroots_a1, by or tree.admin, joined, **{**defaults, **profile}
        )

    return make
