"""Admin: returns and exchanges are read-only; they change only through the services."""

from django.contrib import admin

from unitrace.core.admin import ReadOnlyAdmin
from unitrace.service.models import RMA, Exchange


@admin.register(RMA)
class RMAAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "holder", "status", "received_at"]


@admin.register(Exchange)
class ExchangeAdmin(ReadOnlyAdmin):
    list_display = ["old_unit", "new_unit", "holder", "carry_over", "exchanged_at"]
