"""Admin: the change log and jobs are read-only; master-data admins log every edit."""

from django.contrib import admin

from unitrace.core.audit import log_change, snapshot
from unitrace.core.models import ChangeLog, Job


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LoggedAdmin(admin.ModelAdmin):
    """Edits through the admin land in the same change log as API edits."""

    def save_model(self, request, obj, form, change):
        before = None
        if change:
            previous = type(obj)._default_manager.filter(pk=obj.pk).first()
            before = snapshot(previous) if previous else None
        super().save_model(request, obj, form, change)
        log_change(obj, ChangeLog.Action.UPDATE if change else ChangeLog.Action.CREATE, before)

    def delete_model(self, request, obj):
        log_change(obj, ChangeLog.Action.DELETE, before=snapshot(obj), after=None)
        super().delete_model(request, obj)


@admin.register(ChangeLog)
class ChangeLogAdmin(ReadOnlyAdmin):
    list_display = ["time", "username", "ip_address", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["username", "object_repr", "object_id"]


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "status", "created_by", "created_at", "done", "total"]
    list_filter = ["kind", "status"]
    exclude = ["input_data"]
