"""Admin: warehouses and their bins are master data, edited with a change log."""

from django.contrib import admin

from unitrace.core.admin import LoggedAdmin
from unitrace.places.models import Bin, Warehouse


class BinInline(admin.TabularInline):
    model = Bin
    extra = 0


@admin.register(Warehouse)
class WarehouseAdmin(LoggedAdmin):
    list_display = ["code", "name", "level", "parent", "province", "city", "active"]
    list_filter = ["level", "active"]
    search_fields = ["code", "name"]
    inlines = [BinInline]
