"""Admin: returns and exchanges are read-only; they change only through the services."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from unitrace.core.admin import LoggedAdmin, ReadOnlyAdmin
from unitrace.service.models import (
    RMA,
    Exchange,
    FaultCategory,
    FaultCode,
    SLAClock,
    SLAEscalation,
    SLAPolicy,
    SupervisorRegion,
    WorkOrder,
)


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


@admin.register(SLAPolicy)
class SLAPolicyAdmin(LoggedAdmin):
    """Policies are master data: a new one applies to work orders opened after it; the
    clocks already running keep the targets they started with. Deactivated, never
    deleted once clocks point at it."""

    list_display = [
        "code",
        "name_zh",
        "name_en",
        "service_class",
        "priority",
        "kind",
        "region",
        "calendar",
        "respond_minutes",
        "arrive_minutes",
        "resolve_minutes",
        "at_risk_percent",
        "pause_for_parts",
        "active",
    ]
    list_filter = ["active", "priority", "kind", "service_class", "calendar"]
    search_fields = ["code", "name_zh", "name_en", "region"]
    fieldsets = [
        (None, {"fields": ["code", "name_zh", "name_en", "active"]}),
        (_("Applies to"), {"fields": ["service_class", "priority", "kind", "region"]}),
        (
            _("Targets"),
            {
                "fields": [
                    "calendar",
                    "respond_minutes",
                    "arrive_minutes",
                    "resolve_minutes",
                    "at_risk_percent",
                    "pause_for_parts",
                ]
            },
        ),
    ]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SupervisorRegion)
class SupervisorRegionAdmin(LoggedAdmin):
    list_display = ["region", "supervisor"]
    search_fields = ["region", "supervisor__username"]


@admin.register(SLAClock)
class SLAClockAdmin(ReadOnlyAdmin):
    """Read-only: clocks move only with their work order's steps."""

    list_display = ["work_order", "target", "state", "due_at", "at_risk", "breached", "met_at"]
    list_filter = ["target", "state", "breached", "at_risk"]
    search_fields = ["work_order__number"]


@admin.register(SLAEscalation)
class SLAEscalationAdmin(ReadOnlyAdmin):
    list_display = ["at", "work_order", "target", "level", "recipient", "due_at"]
    list_filter = ["level", "target"]
    search_fields = ["work_order__number", "recipient__username"]
