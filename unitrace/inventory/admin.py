"""Admin: warehouses, bins and minimums are master data (logged edits); documents, stock
and journals are read-only here because they change only through the services."""

from django.contrib import admin

from unitrace.core.admin import LoggedAdmin, ReadOnlyAdmin
from unitrace.inventory.models import (
    Bin,
    MinStock,
    PartMove,
    PartStock,
    StockAlert,
    Stocktake,
    Transfer,
    Warehouse,
)


class BinInline(admin.TabularInline):
    model = Bin
    extra = 0


@admin.register(Warehouse)
class WarehouseAdmin(LoggedAdmin):
    list_display = ["code", "name", "level", "parent", "province", "city", "active"]
    list_filter = ["level", "active"]
    search_fields = ["code", "name"]
    inlines = [BinInline]


@admin.register(MinStock)
class MinStockAdmin(LoggedAdmin):
    list_display = ["warehouse", "sku", "minimum"]
    list_filter = ["warehouse"]
    search_fields = ["sku__code"]


@admin.register(Transfer)
class TransferAdmin(ReadOnlyAdmin):
    list_display = ["number", "from_warehouse", "to_warehouse", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["number"]


@admin.register(Stocktake)
class StocktakeAdmin(ReadOnlyAdmin):
    list_display = ["number", "warehouse", "status", "opened_at", "book_count", "counted_count"]
    list_filter = ["status"]
    search_fields = ["number"]


@admin.register(PartStock)
class PartStockAdmin(ReadOnlyAdmin):
    list_display = ["warehouse", "sku", "lot", "expiry", "quantity"]
    list_filter = ["warehouse"]
    search_fields = ["sku__code", "lot"]


@admin.register(PartMove)
class PartMoveAdmin(ReadOnlyAdmin):
    list_display = [
        "occurred_at",
        "type",
        "warehouse",
        "sku",
        "lot",
        "quantity",
        "balance",
        "username",
        "reference",
    ]
    list_filter = ["type", "warehouse"]
    search_fields = ["sku__code", "reference"]


@admin.register(StockAlert)
class StockAlertAdmin(ReadOnlyAdmin):
    list_display = ["warehouse", "sku", "minimum", "quantity", "raised_at", "resolved_at"]
    list_filter = ["warehouse"]
