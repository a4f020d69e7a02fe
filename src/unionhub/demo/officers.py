"""Demo accounts: an administrator and officers at a sample of units."""

from __future__ import annotations

import functools
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from unionhub.core import scope
from unionhub.core.types import User
from unionhub.demo.province import Province
from unionhub.orgs import services
from unionhub.orgs.services import account_name_fields

DEMO_PASSWORD = "unionhub-demo"
_GRASSROOTS_GIVEN = ["Hoa", "Huyền", "Linh", "Mai", "Nga", "Oanh", "Phương", "Quyên", "Thảo", "Yến"]
ADMIN_USERNAME = "admin"


def ensure_admin(*, password: str = DEMO_PASSWORD) -> User:
    """The demo's system administrator; created once, its password reset to the demo one."""
    user_model = get_user_model()
    admin, created = user_model.objects.get_or_create(
        username=ADMIN_USERNAME,
        defaults={
            "is_staff": True,
            "is_superuser": True,
            "first_name": "Quản trị",
            "email": "admin@localhost",
        },
    )
    if created:
        admin.set_password(password)
        admin.save()
    return admin


@functools.cache
def _hashed(password: str) -> str:
    # Every demo account has the one demo password: hashed once (a hash takes about 0.3 s by
    # design), not once per account.
    return make_password(password)


def _account(username: str, full_name: str, password: str) -> User:
    user = get_user_model().objects.create_user(
        username=username,
        email=f"{username}@demo.unionhub.local",
        password=None,
        **account_name_fields(full_name),
    )
    user.password = _hashed(password)
    user.save(update_fields=["password"])
    return user


def create_officers(
    *, province: Province, rng: random.Random, password: str, by: User
) -> list[User]:
    """Officers at the province, at every commune union and at a sample of grassroots unions."""
    accounts = []
    province_admin = _account("tinh", "Trần Thị Hồng Hà", password)
    services.role_grant(user=province_admin, unit=province.province, role=scope.UNIT_ADMIN, by=by)
    accounts.append(province_admin)
    for role, username, name in [
        (scope.REGISTRAR, "tinh.tochuc", "Nguyễn Văn Trọng"),
        (scope.CLERK, "tinh.vanthu", "Lê Thị Thu Trang"),
        (scope.CONGRESS_ORGANISER, "tinh.daihoi", "Phan Đình Hùng"),
        (scope.FINANCE, "tinh.taichinh", "Võ Thị Lan"),
    ]:
        user = _account(username, name, password)
        services.role_grant(user=user, unit=province.province, role=role, by=by)
        accounts.append(user)
    for index, commune in enumerate(province.communes_2025[:5], start=1):
        user = _account(
            f"xa{index}", f"Đặng Văn {['An', 'Bình', 'Cường', 'Dũng', 'Đức'][index - 1]}", password
        )
        services.role_grant(user=user, unit=commune, role=scope.UNIT_ADMIN, by=by)
        accounts.append(user)
    alive = [p.founded_unit for p in province.grassroots if p.founded_unit.dissolved is None]
    for index, unit in enumerate(rng.sample(alive, 10), start=1):
        user = _account(
            f"coso{index}",
            f"Hồ Thị {_GRASSROOTS_GIVEN[index - 1]}",
            password,
        )
        services.role_grant(user=user, unit=unit, role=scope.REGISTRAR, by=by)
        services.role_grant(user=user, unit=unit, role=scope.CLERK, by=by)
        accounts.append(user)
    return accounts
