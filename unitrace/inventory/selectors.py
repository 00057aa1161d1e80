"""Reads that matter: where every unit is now, per warehouse, SKU and status.

Counts come from one GROUP BY over the units table (indexed by warehouse), never from
loading units; at millions of units that is the difference between milliseconds and
minutes. Units stay read-only here: the ledger owns their state.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, QuerySet

from unitrace.catalog.models import SKU
from unitrace.inventory.models import Transfer, TransferLine
from unitrace.places.models import Warehouse
from unitrace.serials.models import Unit
from unitrace.serials.statuses import Status

# Columns of the stock table, in this order; other statuses follow when present.
MAIN_STATUSES = [Status.IN_STOCK, Status.QUARANTINED, Status.BLOCKED, Status.IN_TRANSIT]
ORDER = {s: i for i, s in enumerate(dict.fromkeys([*MAIN_STATUSES, *Status.values]))}


def warehouses_for(user) -> QuerySet[Warehouse]:
    """Warehouses a user may see (staff see all; partner logins have no warehouse rights)."""
    if not (user.is_authenticated and user.has_perm("places.view_warehouse")):
        return Warehouse.objects.none()
    return Warehouse.objects.all()


def status_totals(warehouse_ids: list[int] | None = None) -> dict[int, dict[str, int]]:
    """warehouse id -> {status: units}; one GROUP BY for all warehouses."""
    queryset = Unit.objects.filter(warehouse__isnull=False)
    if warehouse_ids is not None:
        queryset = queryset.filter(warehouse_id__in=warehouse_ids)
    totals: dict[int, dict[str, int]] = defaultdict(dict)
    for row in queryset.values("warehouse_id", "status").annotate(n=Count("id")).order_by():
        totals[row["warehouse_id"]][row["status"]] = row["n"]
    return totals


def stock_matrix(warehouse: Warehouse) -> dict[str, Any]:
    """Units in a warehouse by SKU × status: one GROUP BY, SKU names in a second query.

    Units in transit are counted at the warehouse they left (the ledger keeps them
    there until the receipt); ``inbound`` lists what is travelling towards this one.
    """
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    statuses: set[str] = set(MAIN_STATUSES)
    for row in (
        Unit.objects.filter(warehouse=warehouse)
        .values("sku_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[row["sku_id"]][row["status"]] = row["n"]
        statuses.add(row["status"])
    columns = sorted(statuses, key=lambda s: ORDER.get(s, 99))
    skus = SKU.objects.in_bulk(list(counts))
    rows = [
        {
            "sku": skus[sku_id],
            "cells": [(status, by_status.get(status, 0)) for status in columns],
            "total": sum(by_status.values()),
        }
        for sku_id, by_status in sorted(counts.items(), key=lambda kv: skus[kv[0]].code)
    ]
    totals = [(s, sum(dict(r["cells"])[s] for r in rows)) for s in columns]
    return {
        "columns": [(s, Status(s).label if s in Status.values else s) for s in columns],
        "rows": rows,
        "totals": totals,
        "total": sum(r["total"] for r in rows),
        "inbound": inbound(warehouse),
    }


def inbound(warehouse: Warehouse) -> list[dict[str, Any]]:
    """Units dispatched towards ``warehouse`` and not received yet, by transfer and SKU."""
    rows = (
        TransferLine.objects.filter(
            transfer__to_warehouse=warehouse,
            transfer__status__in=[Transfer.Status.IN_TRANSIT, Transfer.Status.PARTIALLY_RECEIVED],
            transfer__closed_at__isnull=True,
            received_at__isnull=True,
        )
        .values(
            "transfer_id", "transfer__number", "transfer__from_warehouse__code", "unit__sku__code"
        )
        .annotate(n=Count("id"))
        .order_by("transfer__number", "unit__sku__code")
    )
    return list(rows)


def bin_counts(warehouse: Warehouse) -> list[dict[str, Any]]:
    """Units per bin (and without a bin) in a warehouse: one GROUP BY."""
    return list(
        Unit.objects.filter(warehouse=warehouse)
        .values("bin_id", "bin__code")
        .annotate(n=Count("id"))
        .order_by("bin__code")
    )
