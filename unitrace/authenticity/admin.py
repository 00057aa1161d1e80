"""Checks and alerts are records of what happened: read-only in the admin.

Alerts are acknowledged or dismissed on the alert pages (``diversion`` services),
which record who handled them and when; the admin must not be a second, unlogged way.
"""

from django.contrib import admin

from unitrace.authenticity.models import DiversionAlert, Verification
from unitrace.core.admin import ReadOnlyAdmin


@admin.register(Verification)
class VerificationAdmin(ReadOnlyAdmin):
    list_display = ("checked_at", "outcome", "method", "unit", "serial", "province", "city")
    list_filter = ("outcome", "method")
    search_fields = ("serial",)
    raw_id_fields = ("unit",)


@admin.register(DiversionAlert)
class DiversionAlertAdmin(ReadOnlyAdmin):
    list_display = ("detected_at", "unit", "distributor", "province", "city", "source", "status")
    list_filter = ("status", "source")
    raw_id_fields = ("unit", "distributor", "delivery_event", "handled_by")
