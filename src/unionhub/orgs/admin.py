from django.contrib import admin

from unionhub.orgs.models import Placement, RoleAssignment, Unit


class PlacementInline(admin.TabularInline):
    model = Placement
    fk_name = "unit"
    extra = 0
    readonly_fields = ["parent", "valid_from", "valid_to"]
    can_delete = False


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    """Read-mostly: the tree changes only through the services, which keep history and audit."""

    list_display = ["code", "name", "level", "parent", "founded", "dissolved"]
    list_filter = ["level", "sector"]
    search_fields = ["code", "name_folded"]
    readonly_fields = ["code", "level", "parent", "path", "founded", "dissolved", "merged_into"]
    inlines = [PlacementInline]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "unit", "granted_at"]
    list_filter = ["role"]
    raw_id_fields = ["user", "unit", "granted_by"]
