from django.contrib import admin

from unitrace.authenticity.models import DiversionAlert, Verification


@admin.register(Verification)
class VerificationAdmin(admin.ModelAdmin):
    list_display = ("checked_at", "outcome", "method", "unit", "serial", "province", "city")
    list_filter = ("outcome", "method")
    search_fields = ("serial",)
    raw_id_fields = ("unit",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DiversionAlert)
class DiversionAlertAdmin(admin.ModelAdmin):
    list_display = ("detected_at", "unit", "distributor", "province", "city", "source", "status")
    list_filter = ("status", "source")
    raw_id_fields = ("unit", "distributor", "delivery_event", "handled_by")
