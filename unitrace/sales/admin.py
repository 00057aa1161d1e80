"""Admin: channels are edited here (change-logged); the documents are read-only because
they change only through the sales services."""

from django.contrib import admin

from unitrace.core.admin import LoggedAdmin, ReadOnlyAdmin
from unitrace.sales.models import Delivery, SalesChannel, SalesOrder, SellThrough


@admin.register(SalesChannel)
class SalesChannelAdmin(LoggedAdmin):
    list_display = ["code", "name", "kind", "active"]
    list_filter = ["kind", "active"]


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
