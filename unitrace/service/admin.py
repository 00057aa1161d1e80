"""Admin: returns and exchanges are read-only; they change only through the services."""

from django.contrib import admin

from unitrace.core.admin import ReadOnlyAdmin
from unitrace.service.models import RMA, Exchange, FaultCategory, FaultCode, WorkOrder


@admin.register(RMA)
class RMAAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "holder", "status", "received_at"]


@admin.register(Exchange)
class ExchangeAdmin(ReadOnlyAdmin):
    list_display = ["old_unit", "new_unit", "holder", "carry_over", "exchanged_at"]


@admin.register(WorkOrder)
class WorkOrderAdmin(ReadOnlyAdmin):
    """Read-only: a work order changes only through ``service.workorders``."""

    list_display = ["number", "kind", "priority", "state", "channel", "opened_at"]
    list_filter = ["state", "kind", "priority", "channel"]
    search_fields = ["number", "contact_phone"]


class FaultCodeInline(admin.TabularInline):
    model = FaultCode
    extra = 1
    fields = ["code", "name_zh", "name_en", "active"]


@admin.register(FaultCategory)
class FaultCategoryAdmin(admin.ModelAdmin):
    """The fault taxonomy is master data an admin keeps (codes are deactivated, never
    deleted: work orders point at them)."""

    list_display = ["code", "name_zh", "name_en", "active"]
    inlines = [FaultCodeInline]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(FaultCode)
class FaultCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "category", "active"]
    list_filter = ["category", "active"]
    search_fields = ["code", "name_zh", "name_en"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
