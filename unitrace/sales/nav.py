"""Sales pages in the main navigation (shown by permission)."""

from django.utils.translation import gettext_lazy as _

ITEMS = [
    ("sales:order_list", _("Orders"), "sales.view_salesorder"),
    ("sales:delivery_list", _("Deliveries"), "sales.view_delivery"),
    ("sales:customers", _("Customers"), "parties.view_party"),
    ("sales:distributors", _("Distributors"), "parties.view_party"),
    ("sales:my_units", _("My units"), "sales.add_sellthrough"),
    ("sales:record_sale", _("Record a sale"), "sales.add_sellthrough"),
    ("sales:my_sales", _("Sell-through"), "sales.view_sellthrough"),
]
