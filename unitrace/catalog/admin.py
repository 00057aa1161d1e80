from django.contrib import admin

from unitrace.catalog.models import SKU, Batch, Category, ComponentSpec
from unitrace.core.admin import LoggedAdmin


@admin.register(Category)
class CategoryAdmin(LoggedAdmin):
    list_display = ["name", "parent"]


class ComponentInline(admin.TabularInline):
    model = ComponentSpec
    fk_name = "parent"
    extra = 0


@admin.register(SKU)
class SKUAdmin(LoggedAdmin):
    list_display = [
        "code",
        "name",
        "gtin",
        "serialized",
        "serial_pattern",
        "warranty_months",
        "warranty_start",
        "active",
    ]
    list_filter = ["serialized", "warranty_start", "active", "category"]
    search_fields = ["code", "name", "gtin"]
    inlines = [ComponentInline]


@admin.register(Batch)
class BatchAdmin(LoggedAdmin):
    list_display = [
        "code",
        "sku",
        "production_date",
        "factory",
        "line",
        "supplier",
        "quantity",
        "qc_status",
    ]
    list_filter = ["qc_status"]
    search_fields = ["code", "sku__code"]
