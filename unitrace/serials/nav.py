"""Serials pages in the main navigation (shown to users holding the permission)."""

from django.utils.translation import gettext_lazy as _

ITEMS = [
    ("serials:scan", _("Scan"), "serials.view_unit"),
    ("serials:unit_list", _("Units"), "serials.view_unit"),
    ("serials:customer_search", _("Find a customer"), "serials.view_unit"),
    ("serials:import", _("Import"), "serials.add_unit"),
    ("serials:generate", _("Generate"), "serials.add_unit"),
]
