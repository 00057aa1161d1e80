"""Service pages in the main navigation (shown by permission)."""

from django.utils.translation import gettext_lazy as _

ITEMS = [
    ("service:search", _("Agent console"), "service.view_workorder"),
    ("service:workorder_list", _("Work orders"), "service.view_workorder"),
    ("sales:rma_list", _("Returns"), "service.view_rma"),
]
