"""Return and exchange pages.

They keep the addresses (``/sales/returns/...``) and names (``sales:rma_*``) they had
in the sales app. Sales cannot route to views above it, so the ``sales`` namespace is
assembled here, at the layer that sees both: sales' own pages plus the return pages.
Mount this module, not ``unitrace.sales.urls``, at ``sales/``.
"""

from django.urls import path

from unitrace.sales import urls as sales_urls
from unitrace.service.views import returns

app_name = sales_urls.app_name
urlpatterns = [
    *sales_urls.urlpatterns,
    path("returns/", returns.rma_list, name="rma_list"),
    path("returns/new/", returns.rma_create, name="rma_create"),
    path("returns/<int:pk>/", returns.rma_detail, name="rma_detail"),
]
