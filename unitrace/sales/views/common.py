"""Helpers shared by the sales pages."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import redirect

from unitrace.catalog.models import SKU
from unitrace.parties.models import Party
from unitrace.parties.services import SALES_KINDS
from unitrace.places.models import Warehouse
from unitrace.sales.models import SalesChannel
from unitrace.serials.selectors import scope_party

PAGE_SIZE = 50


def page_of(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def datalists(user) -> dict:
    """Suggestions for the code fields of the sales pages, as far as ``user`` may see them.

    A partner login (distributor, service partner: ``scope_party``) is offered only its
    own party as buyer or distributor, and no warehouses or channels: other parties'
    names are not its business. Staff get each list only with the permission to view
    what it lists.
    """
    party = scope_party(user)
    skus = (
        SKU.objects.filter(serialized=True, active=True).values_list("code", "name")[:500]
        if user.has_perm("catalog.view_sku")
        else []
    )
    if party is not None:
        own = [(party.code, party.name)] if party.active else []
        return {
            "sku_codes": skus,
            "warehouse_codes": [],
            "buyer_codes": own if party.kind in SALES_KINDS else [],
            "distributor_codes": own if party.kind == Party.Kind.DISTRIBUTOR else [],
            "channel_codes": [],
        }
    see_parties = user.has_perm("parties.view_party")
    active_parties = Party.objects.filter(active=True)
    return {
        "sku_codes": skus,
        "warehouse_codes": Warehouse.objects.filter(active=True).values_list("code", "name")[:500]
        if user.has_perm("places.view_warehouse")
        else [],
        "buyer_codes": active_parties.filter(kind__in=SALES_KINDS).values_list("code", "name")[:500]
        if see_parties
        else [],
        "distributor_codes": active_parties.filter(kind=Party.Kind.DISTRIBUTOR).values_list(
            "code", "name"
        )[:500]
        if see_parties
        else [],
        "channel_codes": SalesChannel.objects.filter(active=True).values_list("code", "name")
        if user.has_perm("sales.view_saleschannel")
        else [],
    }


def back(to: str, *args):
    return redirect(to, *args)
