"""Units of the union, their placement in the tree over time, and officers' roles."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from unionhub.core import scope
from unionhub.core.text import fold, text_sort_key

PATH_SEGMENT = 8


class Level(models.IntegerChoices):
    """Levels of the union system, top down (DESIGN §2); a child is always below its parent."""

    CONFEDERATION = 10, _("Confederation")
    PROVINCE = 20, _("Province federation or national sector union")
    DIRECT_UPPER = 30, _("Direct-upper unit")
    GRASSROOTS = 40, _("Grassroots union")
    SUB_UNIT = 50, _("Sub-unit")


class Sector(models.TextChoices):
    ADMINISTRATION = "administration", _("State administration")
    EDUCATION = "education", _("Education")
    HEALTH = "health", _("Health")
    ENTERPRISE = "enterprise", _("Enterprise")
    COOPERATIVE = "cooperative", _("Cooperative")
    INFORMAL = "informal", _("Informal workers (nghiệp đoàn)")
    TERRITORIAL = "territorial", _("Territorial")
    OTHER = "other", _("Other")


def logo_path(unit: Unit, filename: str) -> str:
    return f"units/logos/{uuid.uuid4().hex}.png"


class Unit(models.Model):
    """A union organisation. Its code never changes; its name, place and life do."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(
        _("symbol"),
        max_length=40,
        blank=True,
        help_text=_("Abbreviation used in document numbers, e.g. LĐLĐ."),
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    sector = models.CharField(
        _("sector"), max_length=20, choices=Sector.choices, default=Sector.OTHER
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    founded = models.DateField(_("founded"))
    dissolved = models.DateField(_("dissolved"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )
    # The current tree: `parent` and the materialised `path` of fixed-width pk segments, kept
    # in step by the services. The tree as it stood on a past date lives in Placement.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("tree path"), max_length=255, db_index=True, editable=False)
    name_folded = models.CharField(max_length=255, db_index=True, editable=False)
    sort_key = models.CharField(max_length=512, editable=False)
    # The unit's own emblem (PNG, transparency kept), public like its name: shown on its LED
    # screens and pages, and on those of the units under it that have none of their own.
    logo = models.ImageField(_("logo"), upload_to=logo_path, blank=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["sort_key"]
        constraints = [
            models.CheckConstraint(
                condition=Q(dissolved__isnull=True) | Q(dissolved__gte=models.F("founded")),
                name="unit_dissolved_after_founded",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_folded = fold(self.name)
        self.sort_key = text_sort_key(self.name)
        super().save(*args, **kwargs)

    @property
    def depth(self) -> int:
        return len(self.path) // PATH_SEGMENT

    @property
    def is_active(self) -> bool:
        return self.dissolved is None

    def ancestor_paths(self) -> list[str]:
        return [self.path[:i] for i in range(PATH_SEGMENT, len(self.path), PATH_SEGMENT)]

    def subtree_q(self) -> Q:
        return scope.subtree_q(self.path)


class Placement(models.Model):
    """Where a unit stood in the tree from `valid_from` (inclusive) to `valid_to` (exclusive)."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="placements"
    )
    parent = models.ForeignKey(
        Unit,
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="child_placements",
    )
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["unit", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "valid_from"], name="placement_unique_start"),
            models.UniqueConstraint(
                fields=["unit"], condition=Q(valid_to__isnull=True), name="placement_one_open"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="placement_valid_range",
            ),
        ]
        indexes = [models.Index(fields=["parent", "valid_from"])]

    def __str__(self) -> str:
        return f"{self.unit} ⊂ {self.parent} [{self.valid_from}, {self.valid_to or '…'})"


class Role(models.TextChoices):
    UNIT_ADMIN = scope.UNIT_ADMIN, _("Unit admin")
    REGISTRAR = scope.REGISTRAR, _("Registrar")
    FINANCE = scope.FINANCE, _("Finance")
    CLERK = scope.CLERK, _("Clerk")
    CONGRESS_ORGANISER = scope.CONGRESS_ORGANISER, _("Congress organiser")
    COMMUNICATIONS = scope.COMMUNICATIONS, _("Communications")
    VIEWER = scope.VIEWER, _("Viewer")
    DATA_PROTECTION = scope.DATA_PROTECTION, _("Data-protection officer")


class RoleAssignment(models.Model):
    """An officer's role at a unit; it reaches the unit's whole subtree and nothing else."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        on_delete=models.CASCADE,
        related_name="unit_roles",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="role_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"
