"""Party master data in the main navigation (shown by permission)."""

from django.utils.translation import gettext_lazy as _

ITEMS = [
    ("parties:party_list", _("Parties"), "parties.view_party"),
]
