"""Every change to units and officers' roles. Keyword-only, atomic, audited, scoped."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from PIL import Image

from unionhub.audit.services import log
from unionhub.core import images, scope, uploads
from unionhub.core.errors import DomainError
from unionhub.core.text import nfc
from unionhub.core.types import User
from unionhub.orgs import signals
from unionhub.orgs.actions import Action
from unionhub.orgs.models import PATH_SEGMENT, Level, Placement, Role, RoleAssignment, Unit

UserModel = get_user_model()


def account_name_fields(full_name: str) -> dict[str, str]:
    """Django shows `first_name last_name`; Vietnamese names read family, middle, given, so
    the given name goes last: "Trần Thị Hồng Hà" → first "Trần Thị Hồng", last "Hà"."""
    leading, _space, given = nfc(full_name).rpartition(" ")
    return {"first_name": leading, "last_name": given}


def _segment(unit: Unit) -> str:
    return f"{unit.pk:0{PATH_SEGMENT}d}"


def _require_admin_at(by: User, unit: Unit | None) -> None:
    """Founding or moving units is the business of the unit admin above them."""
    if unit is None:
        if not scope.is_unrestricted(by):
            raise DomainError(
                "root_unit_forbidden", _("Only a system administrator can add a top-level unit.")
            )
        return
    scope.require(by, scope.UNIT_ADMIN, unit)


def _check_parent(*, level: int, parent: Unit | None, on: dt.date) -> None:
    if parent is None:
        return
    if parent.dissolved is not None and parent.dissolved <= on:
        raise DomainError(
            "parent_dissolved",
            _("%(parent)s was dissolved on %(date)s and cannot take units.")
            % {"parent": parent.name, "date": parent.dissolved.strftime("%d/%m/%Y")},
        )
    if level <= parent.level:
        raise DomainError(
            "level_not_below_parent",
            _("A %(level)s cannot be placed under a %(parent_level)s.")
            % {"level": Level(level).label, "parent_level": Level(parent.level).label},
        )


def _check_date(effective: dt.date) -> None:
    if effective > timezone.localdate():
        raise DomainError(
            "future_date",
            _("Changes to the tree take effect today or earlier; scheduling is not supported."),
        )


@transaction.atomic
def unit_found(
    *,
    code: str,
    name: str,
    level: int,
    parent: Unit | None,
    founded: dt.date,
    by: User,
    short_name: str = "",
    sector: str = "",
    address: str = "",
) -> Unit:
    """Create a unit under `parent` (None: a root), in the tree from `founded`."""
    _require_admin_at(by, parent)
    code = nfc(code).upper()
    if not code:
        raise DomainError("code_required", _("Every unit needs a code."), field="code")
    if Unit.objects.filter(code=code).exists():
        raise DomainError(
            "code_taken",
            _("The code %(code)s is already used by another unit.") % {"code": code},
            field="code",
        )
    _check_date(founded)
    _check_parent(level=level, parent=parent, on=founded)
    if parent is not None and founded < parent.founded:
        raise DomainError(
            "founded_before_parent", _("A unit cannot be founded before its parent unit.")
        )
    unit = Unit(
        code=code,
        name=nfc(name),
        short_name=nfc(short_name),
        level=level,
        sector=sector or "other",
        address=nfc(address),
        founded=founded,
        parent=parent,
        path="",
    )
    unit.save()
    unit.path = (parent.path if parent else "") + _segment(unit)
    Unit.objects.filter(pk=unit.pk).update(path=unit.path)
    Placement.objects.create(unit=unit, parent=parent, valid_from=founded)
    log(
        by,
        Action.UNIT_FOUNDED,
        unit,
        {"code": code, "parent": parent and parent.code, "founded": founded},
    )
    return unit


@transaction.atomic
def unit_update(*, unit: Unit, by: User, **fields: Any) -> Unit:
    """Change descriptive fields (name, symbol, sector, address); the code never changes."""
    scope.require(by, scope.UNIT_ADMIN, unit)
    allowed = {"name", "short_name", "sector", "address"}
    if unknown := set(fields) - allowed:
        raise DomainError(
            "field_not_editable",
            _("These fields cannot be changed: %s") % ", ".join(sorted(unknown)),
        )
    before = {key: getattr(unit, key) for key in fields}
    for key, value in fields.items():
        setattr(unit, key, nfc(value) if isinstance(value, str) else value)
    unit.save()
    after = {key: getattr(unit, key) for key in fields}
    if before != after:
        log(by, Action.UNIT_UPDATED, unit, {"before": before, "after": after})
    return unit


LOGO_SIZE = (512, 512)


@transaction.atomic
def unit_logo_set(*, unit: Unit, upload: Any | None, by: User) -> Unit:
    """Give `unit` its own logo (any picture becomes a PNG of at most 512 × 512, transparency
    kept, EXIF gone), or remove it with `upload=None` (its parent's shows again)."""
    scope.require(by, scope.UNIT_ADMIN, unit)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    old = unit.logo.name if unit.logo else None
    if upload is None:
        unit.logo = ""
    else:
        image = images.open_upload(upload, kind=uploads.UNIT_LOGO, field="logo")
        image.thumbnail(LOGO_SIZE, Image.Resampling.LANCZOS)
        unit.logo.save("logo.png", ContentFile(images.png(image)), save=False)
    new = unit.logo.name or None
    try:
        unit.save(update_fields=["logo"])
    except Exception:
        if new:
            default_storage.delete(new)
        raise
    if old:
        # Files are not transactional: the old one goes once the new row is committed.
        transaction.on_commit(lambda: default_storage.delete(old))
    log(by, Action.UNIT_LOGO_SET, unit, {"removed": upload is None})
    return unit


def _close_placement(unit: Unit, effective: dt.date) -> Placement:
    current = Placement.objects.select_for_update().get(unit=unit, valid_to__isnull=True)
    if effective <= current.valid_from:
        raise DomainError(
            "date_before_placement",
            _("%(unit)s has been where it is since %(date)s; choose a later date.")
            % {"unit": unit.name, "date": current.valid_from.strftime("%d/%m/%Y")},
        )
    current.valid_to = effective
    current.save(update_fields=["valid_to"])
    return current


@transaction.atomic
def unit_move(*, unit: Unit, new_parent: Unit, effective: dt.date, by: User) -> Unit:
    """Place `unit` (and its subtree) under `new_parent` from `effective`; history is kept."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    _require_admin_at(by, unit.parent)
    _require_admin_at(by, new_parent)
    if unit.dissolved is not None:
        raise DomainError("unit_dissolved", _("A dissolved unit cannot be moved."))
    if new_parent.path.startswith(unit.path):
        raise DomainError(
            "move_into_own_subtree", _("A unit cannot be moved under itself or its own sub-units.")
        )
    if new_parent.pk == unit.parent_id:
        raise DomainError(
            "move_same_parent",
            _("The unit is already under %(parent)s.") % {"parent": new_parent.name},
        )
    _check_date(effective)
    _check_parent(level=unit.level, parent=new_parent, on=effective)
    old_parent = unit.parent
    _close_placement(unit, effective)
    Placement.objects.create(unit=unit, parent=new_parent, valid_from=effective)
    old_path, new_path = unit.path, new_parent.path + _segment(unit)
    Unit.objects.filter(scope.subtree_q(old_path)).update(
        path=Concat(Value(new_path), Substr(F("path"), len(old_path) + 1))
    )
    Unit.objects.filter(pk=unit.pk).update(parent=new_parent)
    unit.refresh_from_db()
    signals.unit_moved.send(
        sender=Unit,
        unit=unit,
        old_parent=old_parent,
        new_parent=new_parent,
        effective=effective,
        by=by,
    )
    log(
        by,
        Action.UNIT_MOVED,
        unit,
        {"from": old_parent and old_parent.code, "to": new_parent.code, "effective": effective},
    )
    return unit


@transaction.atomic
def unit_dissolve(
    *, unit: Unit, effective: dt.date, by: User, merged_into: Unit | None = None
) -> Unit:
    """Close `unit` from `effective`. Its sub-units must have been moved or dissolved first."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    scope.require(by, scope.UNIT_ADMIN, unit.parent or unit)
    if unit.dissolved is not None:
        raise DomainError(
            "unit_dissolved", _("%(unit)s is already dissolved.") % {"unit": unit.name}
        )
    _check_date(effective)
    if effective <= unit.founded:
        raise DomainError(
            "date_before_founding", _("A unit cannot be dissolved before it was founded.")
        )
    if open_children := list(
        unit.children.filter(dissolved__isnull=True).values_list("name", flat=True)[:3]
    ):
        raise DomainError(
            "unit_has_children",
            _("Move or dissolve its sub-units first: %(names)s.")
            % {"names": ", ".join(open_children)},
        )
    if merged_into is not None and (merged_into.pk == unit.pk or merged_into.dissolved is not None):
        raise DomainError(
            "bad_merge_target", _("A unit can only be merged into another active unit.")
        )
    signals.unit_dissolving.send(
        sender=Unit, unit=unit, effective=effective, by=by, merged_into=merged_into
    )
    _close_placement(unit, effective)
    unit.dissolved = effective
    unit.merged_into = merged_into
    unit.save(update_fields=["dissolved", "merged_into"])
    log(
        by,
        Action.UNIT_MERGED if merged_into else Action.UNIT_DISSOLVED,
        unit,
        {"effective": effective, "into": merged_into and merged_into.code},
    )
    return unit


@transaction.atomic
def unit_merge(*, units: list[Unit], into: Unit, effective: dt.date, by: User) -> Unit:
    """Merge `units` into `into`: their sub-units move under it, then each is dissolved.

    Members follow through the `unit_dissolving` signal (the member registry moves them).
    """
    scope.require(by, scope.UNIT_ADMIN, into)
    for unit in units:
        for child in unit.children.filter(dissolved__isnull=True):
            unit_move(unit=child, new_parent=into, effective=effective, by=by)
        unit_dissolve(unit=unit, effective=effective, by=by, merged_into=into)
    return into


@transaction.atomic
def role_grant(*, user: User, unit: Unit, role: str, by: User) -> RoleAssignment:
    """Give `user` `role` at `unit`; only a unit admin reaching `unit` may."""
    scope.require(by, scope.UNIT_ADMIN, unit)
    if role not in Role.values:
        raise DomainError("unknown_role", _("Unknown role."))
    if unit.dissolved is not None:
        raise DomainError("unit_dissolved", _("Roles cannot be given at a dissolved unit."))
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user,
        unit=unit,
        role=role,
        defaults={"granted_by": by if by.is_authenticated else None},
    )
    if created:
        log(by, Action.ROLE_GRANTED, unit, {"user": user.get_username(), "role": role})
    scope.forget(user)
    return assignment


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment, by: User) -> None:
    scope.require(by, scope.UNIT_ADMIN, assignment.unit)
    log(
        by,
        Action.ROLE_REVOKED,
        assignment.unit,
        {"user": assignment.user.get_username(), "role": assignment.role},
    )
    assignment.delete()
    scope.forget(assignment.user)


def successor(unit: Unit) -> Unit | None:
    """The active unit a dissolved `unit` lives on in, following merges of merged units."""
    seen = set()
    while unit.dissolved is not None and unit.merged_into_id and unit.pk not in seen:
        seen.add(unit.pk)
        if unit.merged_into is None:
            break
        unit = unit.merged_into
    return None if unit.dissolved is not None else unit


@transaction.atomic
def role_move_to_successor(*, assignment: RoleAssignment, by: User) -> RoleAssignment:
    """Move a role held at a dissolved, merged unit to the unit it was merged into, in one step."""
    old = assignment.unit
    if old.dissolved is None:
        raise DomainError("unit_active", _("%(unit)s is not dissolved.") % {"unit": old.name})
    target = successor(old)
    if target is None:
        raise DomainError(
            "no_successor",
            _("%(unit)s was dissolved without being merged into another unit.")
            % {"unit": old.name},
        )
    scope.require(by, scope.UNIT_ADMIN, old)
    scope.require(by, scope.UNIT_ADMIN, target)
    moved, _created = RoleAssignment.objects.get_or_create(
        user=assignment.user,
        unit=target,
        role=assignment.role,
        defaults={"granted_by": by if by.is_authenticated else None},
    )
    log(
        by,
        Action.ROLE_MOVED,
        target,
        {"user": assignment.user.get_username(), "role": assignment.role, "from": old.code},
    )
    assignment.delete()
    scope.forget(assignment.user)
    return moved


@transaction.atomic
def officer_invite(
    *, email: str, full_name: str, unit: Unit, role: str, by: User, base_url: str
) -> Any:
    """Create (or reuse) the account for `email`, grant `role` at `unit`, and mail a link to set
    the password. The link is Django's password-reset token: one use, expires with
    PASSWORD_RESET_TIMEOUT.
    """
    scope.require(by, scope.UNIT_ADMIN, unit)
    email = nfc(email).lower()
    user = UserModel.objects.filter(username=email).first()
    if user is None:
        user = UserModel(username=email, email=email, **account_name_fields(full_name))
        user.set_unusable_password()
        user.save()
    role_grant(user=user, unit=unit, role=role, by=by)
    link = base_url + reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    subject = _("You are invited to UnionHub")
    body = _(
        "%(inviter)s gave you the role %(role)s at %(unit)s.\n\nSet your password here: %(link)s\n"
    ) % {
        "inviter": by.get_full_name() or by.get_username(),
        "role": Role(role).label,
        "unit": unit.name,
        "link": link,
    }
    transaction.on_commit(lambda: send_mail(subject, body, None, [email]))
    return user
