"""Return and exchange pages.

They keep the addresses (``/sales/returns/...``) and names (``sales:rma_*``) they had
in the sales app: the project's URLconf mounts these patterns in the ``sales``
namespace next to the sales pages.
"""

from django.urls import path

from unitrace.service.views import returns

app_name = "sales"
urlpatterns = [
    path("returns/", returns.rma_list, name="rma_list"),
    path("returns/new/", returns.rma_create, name="rma_create"),
    path("returns/<int:pk>/", returns.rma_detail, name="rma_detail"),
]
