"""Admin: the exchange warranty rule per SKU is edited here (change-logged)."""

from django.contrib import admin

from unitrace.core.admin import LoggedAdmin
from unitrace.warranty.models import ExchangeWarrantyRule


@admin.register(ExchangeWarrantyRule)
class ExchangeWarrantyRuleAdmin(LoggedAdmin):
    list_display = ["sku", "mode"]
    autocomplete_fields: list[str] = []
