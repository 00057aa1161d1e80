"""Warehouse pages: the list with unit counts, one warehouse's stock, and unit holds."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from unitrace.inventory.errors import InventoryError
from unitrace.inventory.holds import ACTION_LABELS, hold_units
from unitrace.inventory.models import PartStock, Stocktake
from unitrace.inventory.resolving import split_codes, units_for_codes
from unitrace.inventory.selectors import (
    MAIN_STATUSES,
    bin_counts,
    status_totals,
    stock_matrix,
    warehouses_for,
)
from unitrace.inventory.views.common import status_label
from unitrace.serials.selectors import units_visible_to

MAX_HOLD = 10_000


@login_required
@permission_required("places.view_warehouse", raise_exception=True)
def warehouse_list(request):
    warehouses = list(warehouses_for(request.user).select_related("parent"))
    show_counts = request.user.has_perm("serials.view_unit")
    totals = status_totals() if show_counts else {}
    rows = [
        {
            "warehouse": w,
            "cells": [totals.get(w.pk, {}).get(s, 0) for s in MAIN_STATUSES],
            "total": sum(totals.get(w.pk, {}).values()),
        }
        for w in warehouses
    ]
    return render(
        request,
        "inventory/warehouse_list.html",
        {
            "rows": rows,
            "columns": [status_label(s) for s in MAIN_STATUSES],
            "show_counts": show_counts,
        },
    )


@login_required
@permission_required(["places.view_warehouse", "serials.view_unit"], raise_exception=True)
def warehouse_detail(request, pk: int):
    warehouse = get_object_or_404(warehouses_for(request.user).select_related("parent"), pk=pk)
    matrix = stock_matrix(warehouse)
    units_url = reverse("serials:unit_list")

    def link(**query) -> str:
        return f"{units_url}?{urlencode({'warehouse': warehouse.code, **query})}"

    rows = [
        {
            **row,
            "cells": [(n, link(sku=row["sku"].code, status=status)) for status, n in row["cells"]],
        }
        for row in matrix["rows"]
    ]
    parts = (
        PartStock.objects.filter(warehouse=warehouse, quantity__gt=0).select_related("sku")
        if request.user.has_perm("inventory.view_partstock")
        else PartStock.objects.none()
    )
    return render(
        request,
        "inventory/warehouse_detail.html",
        {
            "warehouse": warehouse,
            "matrix": matrix,
            "rows": rows,
            "totals": [(n, link(status=s)) for s, n in matrix["totals"]],
            "all_units": link(),
            "bins": bin_counts(warehouse),
            "children": warehouse.warehouse_set.order_by("code"),
            "parts": parts[:200],
            "open_count": Stocktake.objects.filter(
                warehouse=warehouse, status=Stocktake.Status.OPEN
            ).first(),
        },
    )


@login_required
@permission_required(["places.hold_units", "serials.view_unit"], raise_exception=True)
@require_http_methods(["GET", "POST"])
def holds(request):
    """Quarantine, block or release a scanned or pasted list of units, with a reason."""
    values = {"action": "quarantine", "serials": "", "reason": ""}
    failure = None
    if request.method == "POST":
        values = {key: request.POST.get(key, "") for key in values}
        codes = split_codes(values["serials"])
        try:
            if len(codes) > MAX_HOLD:
                raise InventoryError(
                    _("at most %(max)d units at a time") % {"max": MAX_HOLD}, code="too_many"
                )
            units = units_for_codes(codes, units_visible_to(request.user))
            count = hold_units(values["action"], units, reason=values["reason"])
        except InventoryError as exc:
            failure = exc
        else:
            messages.success(
                request,
                _("%(n)d units: %(action)s.")
                % {"n": count, "action": ACTION_LABELS[values["action"]]},
            )
            return redirect("inventory:holds")
    return render(
        request,
        "inventory/holds.html",
        {"values": values, "actions": list(ACTION_LABELS.items()), "failure": failure},
    )
