"""Warehouse master data in the main navigation (the stock pages are inventory's)."""

from django.utils.translation import gettext_lazy as _

ITEMS = [
    ("places:warehouse_list", _("Warehouses and bins"), "places.change_warehouse"),
]
