"""The small tree (province → two districts → grassroots unions) and its officers, built through
the services; shared by the root conftest and by conftests that keep a world for a module."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from tests.factories import make_user
from unionhub.core import scope
from unionhub.orgs import services
from unionhub.orgs.models import Level, Unit

FOUNDED = dt.date(2010, 1, 1)
# The 2025 reorganisation founded the commune unions: lists kept for years arrive in them.
COMMUNE_FOUNDED = dt.date(2025, 7, 1)


@dataclass
class Tree:
    root: Unit
    province: Unit
    district_a: Unit
    district_b: Unit
    grassroots_a1: Unit
    grassroots_a2: Unit
    grassroots_b1: Unit
    admin: Any


def build_tree(admin: Any) -> Tree:
    """The tree founded through the services by `admin`."""

    def found(code, name, level, parent, founded=FOUNDED):
        return services.unit_found(
            code=code, name=name, level=level, parent=parent, founded=founded, by=admin
        )

    root = found("VGCL", "Tổng Liên đoàn Lao động Việt Nam", Level.CONFEDERATION, None)
    province = found("HT", "Liên đoàn Lao động tỉnh Hà Tĩnh", Level.PROVINCE, root)
    district_a = found("HT-DT", "Liên đoàn Lao động huyện Đức Thọ", Level.DIRECT_UPPER, province)
    district_b = found("HT-CL", "Liên đoàn Lao động huyện Can Lộc", Level.DIRECT_UPPER, province)
    return Tree(
        root=root,
        province=province,
        district_a=district_a,
        district_b=district_b,
        grassroots_a1=found(
            "HT-DT-0001", "Công đoàn Trường THCS Tùng Ảnh", Level.GRASSROOTS, district_a
        ),
        grassroots_a2=found(
            "HT-DT-0002", "Công đoàn Trạm Y tế xã Đức Lạng", Level.GRASSROOTS, district_a
        ),
        grassroots_b1=found(
            "HT-CL-0001", "Công đoàn Công ty TNHH Hồng Lam", Level.GRASSROOTS, district_b
        ),
        admin=admin,
    )


def found_commune(tree: Tree) -> Unit:
    """A commune union founded by the 2025 reorganisation, directly under the province."""
    return services.unit_found(
        code="HT-XDT",
        name="Công đoàn xã Đức Thọ",
        level=Level.DIRECT_UPPER,
        parent=tree.province,
        founded=COMMUNE_FOUNDED,
        by=tree.admin,
    )


def refetched(tree: Tree) -> Tree:
    """The same tree read back as fresh instances, so a test that changes one of them in memory
    leaves nothing behind for the next test of a module sharing the rows."""
    units = Unit.objects.in_bulk([getattr(tree, name).pk for name in _UNITS])
    admin = get_user_model().objects.get(pk=tree.admin.pk)
    return Tree(**{name: units[getattr(tree, name).pk] for name in _UNITS}, admin=admin)


_UNITS = [name for name in Tree.__dataclass_fields__ if name != "admin"]
_officers = itertools.count()


def make_officer(tree: Tree, unit: Unit, role: str = scope.VIEWER) -> Any:
    """A new user holding `role` at `unit`; names are unique in the process because a module's
    shared rows may already hold officers."""
    user = make_user(f"officer{next(_officers)}")
    services.role_grant(user=user, unit=unit, role=role, by=tree.admin)
    return user


@contextlib.contextmanager
def kept_for_module(django_db_blocker):
    """Rows written inside stay for every test of a module (each test still rolls back its own
    changes to them), then roll back: for read-only worlds that cost many service calls."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def make_superuser() -> Any:
    return get_user_model().objects.create_superuser(
        username="root", password="pw-root", email="root@x.test"
    )
