"""Catalogue pages in the main navigation (shown by permission)."""

from django.utils.translation import gettext_lazy as _

ITEMS = [
    ("catalog:sku_list", _("SKUs"), "catalog.view_sku"),
    ("catalog:batch_list", _("Batches"), "catalog.view_batch"),
]
