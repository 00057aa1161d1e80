"""Units and events are read-only here: their state changes only through the ledger."""

from django.contrib import admin

from unitrace.core.admin import ReadOnlyAdmin
from unitrace.serials.models import ComponentLink, Unit, UnitEvent


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ["serial", "sku", "batch", "status", "warehouse", "holder", "last_event_at"]
    list_filter = ["status"]
    search_fields = ["serial", "supplier_serial"]
    list_select_related = ["sku", "batch", "warehouse", "holder"]
    show_full_result_count = False


@admin.register(UnitEvent)
class UnitEventAdmin(ReadOnlyAdmin):
    list_display = ["occurred_at", "unit", "type", "actor_name", "warehouse", "party", "ref_id"]
    list_filter = ["type"]
    list_select_related = ["unit", "warehouse", "party"]
    show_full_result_count = False


@admin.register(ComponentLink)
class ComponentLinkAdmin(ReadOnlyAdmin):
    list_display = ["parent", "component", "position", "installed_at", "removed_at"]
