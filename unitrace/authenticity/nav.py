"""Pages of this app in the main navigation (the public pages have none)."""

from django.utils.translation import gettext_lazy as _

ITEMS = [
    ("authenticity:alert_list", _("Diversion alerts"), "authenticity.view_diversionalert"),
]
