"""Inventory pages in the main navigation (shown to users holding the permission)."""

from django.utils.translation import gettext_lazy as _

ITEMS = [
    ("inventory:warehouse_list", _("Warehouses"), "places.view_warehouse"),
    ("inventory:transfer_list", _("Transfers"), "inventory.view_transfer"),
    ("inventory:stocktake_list", _("Stocktakes"), "inventory.view_stocktake"),
    ("inventory:part_stock", _("Spare parts"), "inventory.view_partstock"),
]
