"""The administrator keeps the dated rules here. A rule already in force is history (dues were
computed from it): it cannot be changed or deleted; a change is a new row from a later date."""

from django.contrib import admin
from django.utils import timezone

from unionhub.audit.services import log
from unionhub.finance.actions import Action
from unionhub.finance.models import JournalEntry, Posting, Rule


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    list_display = ["kind", "group", "effective_from", "rate", "amount", "collector", "basis"]
    list_filter = ["kind"]
    ordering = ["kind", "group", "-effective_from"]

    def _in_force(self, obj) -> bool:
        return obj is not None and obj.pk is not None and obj.effective_from <= timezone.localdate()

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._in_force(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._in_force(obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        log(request.user, Action.RULE_SAVED, obj, {"changed": form.changed_data})


class PostingInline(admin.TabularInline):
    model = Posting
    extra = 0
    can_delete = False
    readonly_fields = ["account", "amount", "counterpart", "member"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(JournalEntry)
class JournalEntryAdmin(admin.ModelAdmin):
    """Read only: entries are posted by the services and corrected by reversal."""

    list_display = ["date", "unit", "kind", "description", "status"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["unit", "reverses"]
    inlines = [PostingInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
