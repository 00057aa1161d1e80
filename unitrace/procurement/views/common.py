"""Helpers shared by the procurement pages."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404

from unitrace.catalog.models import SKU
from unitrace.parties.models import Party
from unitrace.places.models import Warehouse
from unitrace.procurement.models import PurchaseOrder
from unitrace.procurement.selectors import orders_visible_to

PAGE_SIZE = 50


def order_for(user, pk: int) -> PurchaseOrder:
    """An order the user may see (404 otherwise)."""
    visible = orders_visible_to(user).select_related("supplier", "warehouse", "created_by")
    return get_object_or_404(visible, pk=pk)


def page_of(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def page_query(request) -> str:
    """The list's filters, to carry over to the next page's link ("a=1&" or "")."""
    params = request.GET.copy()
    params.pop("page", None)
    return f"{params.urlencode()}&" if params else ""


def datalists() -> dict:
    return {
        "sku_codes": SKU.objects.filter(serialized=True, active=True).values_list("code", "name")[
            :500
        ],
        "warehouse_codes": Warehouse.objects.filter(active=True).values_list("code", "name")[:500],
        "supplier_codes": Party.objects.filter(kind=Party.Kind.SUPPLIER, active=True).values_list(
            "code", "name"
        )[:500],
    }


def errors_of(exc) -> list[str]:
    """A service's ValidationError as plain messages for the page."""
    if hasattr(exc, "message_dict"):
        return [m for messages in exc.message_dict.values() for m in messages]
    return list(getattr(exc, "messages", [str(exc)]))
