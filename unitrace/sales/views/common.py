"""Helpers shared by the sales pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect

from unitrace.catalog.models import SKU
from unitrace.inventory.models import Warehouse
from unitrace.parties.models import Party
from unitrace.sales.models import SalesChannel

PAGE_SIZE = 50


def needs(*perms: str) -> Callable:
    """Log in first; then 403 unless the user holds every permission."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            if not request.user.has_perms(perms):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def page_of(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def datalists() -> dict:
    return {
        "sku_codes": SKU.objects.filter(serialized=True, active=True).values_list("code", "name")[
            :500
        ],
        "warehouse_codes": Warehouse.objects.filter(active=True).values_list("code", "name")[:500],
        "buyer_codes": Party.objects.filter(
            kind__in=["customer", "distributor"], active=True
        ).values_list("code", "name")[:500],
        "distributor_codes": Party.objects.filter(kind="distributor", active=True).values_list(
            "code", "name"
        )[:500],
        "channel_codes": SalesChannel.objects.filter(active=True).values_list("code", "name"),
    }


def back(to: str, *args):
    return redirect(to, *args)
