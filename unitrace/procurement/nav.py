"""Procurement pages in the main navigation (merged by core.context_processors)."""

from django.utils.translation import gettext_lazy as _

ITEMS = [
    ("procurement:order_list", _("Purchase orders"), "procurement.view_purchaseorder"),
    ("procurement:suspect_list", _("Suspect units"), "procurement.view_suspectunit"),
    ("procurement:quality", _("Supplier quality"), "procurement.view_supplier_quality"),
    ("procurement:supplier_list", _("Suppliers"), "procurement.add_purchaseorder"),
]
