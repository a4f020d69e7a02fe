"""Fixtures shared by tests/ and e2e/: a small tree (province → two districts → grassroots
unions) and officers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from tests.factories import make_user
from unionhub.core import scope
from unionhub.orgs import services
from unionhub.orgs.models import Level, Unit

FOUNDED = dt.date(2010, 1, 1)


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


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser(
        username="root", password="pw-root", email="root@x.test"
    )


@pytest.fixture
def tree(superuser) -> Tree:
    def found(code, name, level, parent, founded=FOUNDED):
        return services.unit_found(
            code=code, name=name, level=level, parent=parent, founded=founded, by=superuser
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
        admin=superuser,
    )


@pytest.fixture
def officer_at(tree):
    """officer_at(unit, role) → a new user holding `role` at `unit`."""
    counter = iter(range(1000))

    def make(unit: Unit, role: str = scope.VIEWER) -> Any:
        user = make_user(f"officer{next(counter)}")
        services.role_grant(user=user, unit=unit, role=role, by=tree.admin)
        return user

    return make
