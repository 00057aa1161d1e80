"""Admin: minimums are master data (logged edits); documents, stock and journals are
read-only here because they change only through the services. Warehouses and bins are
edited in the places admin."""

from django.contrib import admin

from unitrace.core.admin import LoggedAdmin, ReadOnlyAdmin
from unitrace.inventory.models import (
    MinStock,
    PartMove,
    PartStock,
    StockAlert,
    Stocktake,
    Transfer,
)


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
