"""Admin: channels and exchange warranty rules are edited here (change-logged); the
documents are read-only because they change only through the sales services."""

from django.contrib import admin

from unitrace.core.admin import LoggedAdmin, ReadOnlyAdmin
from unitrace.sales.models import (
    RMA,
    Delivery,
    Exchange,
    ExchangeWarrantyRule,
    SalesChannel,
    SalesOrder,
    SellThrough,
)


@admin.register(SalesChannel)
class SalesChannelAdmin(LoggedAdmin):
    list_display = ["code", "name", "kind", "active"]
    list_filter = ["kind", "active"]


@admin.register(ExchangeWarrantyRule)
class ExchangeWarrantyRuleAdmin(LoggedAdmin):
    list_display = ["sku", "mode"]
    autocomplete_fields: list[str] = []


@admin.register(SalesOrder)
class SalesOrderAdmin(ReadOnlyAdmin):
    list_display = ["number", "buyer", "channel", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["number"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["number", "order", "buyer", "warehouse", "unit_count", "delivered_at"]
    search_fields = ["number"]


@admin.register(SellThrough)
class SellThroughAdmin(ReadOnlyAdmin):
    list_display = ["distributor", "unit", "customer", "sold_at", "in_region"]


@admin.register(RMA)
class RMAAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "holder", "status", "received_at"]


@admin.register(Exchange)
class ExchangeAdmin(ReadOnlyAdmin):
    list_display = ["old_unit", "new_unit", "holder", "carry_over", "exchanged_at"]
