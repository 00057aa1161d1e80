"""Minimum stock per warehouse and part, and the alerts raised when stock runs low.

"Usable" stock leaves out expired lots: a shelf of expired seals does not stop the
alert. ``check_min_stock`` is safe to run twice (one open alert per part and
warehouse, enforced by a unique constraint) and is scheduled by Celery beat.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from unitrace.inventory.models import MinStock, PartStock, StockAlert


def with_usable(queryset: QuerySet[MinStock]) -> QuerySet[MinStock]:
    """Annotate each minimum with the usable quantity of its part in its warehouse."""
    today = timezone.localdate()
    usable = (
        PartStock.objects.filter(warehouse=OuterRef("warehouse"), sku=OuterRef("sku"))
        .filter(Q(expiry__isnull=True) | Q(expiry__gte=today))
        .values("warehouse")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    return queryset.annotate(
        usable=Coalesce(Subquery(usable, output_field=IntegerField()), Value(0))
    )


def low_stock(queryset: QuerySet[MinStock] | None = None) -> QuerySet[MinStock]:
    """Minimums not met right now, most short first."""
    queryset = MinStock.objects.all() if queryset is None else queryset
    return (
        with_usable(queryset.select_related("warehouse", "sku"))
        .filter(usable__lt=F("minimum"))
        .annotate(short=F("minimum") - F("usable"))
        .order_by("-short", "warehouse__code", "sku__code")
    )


def check_min_stock() -> dict[str, int]:
    """Raise an alert for every part below its minimum; resolve alerts that recovered."""
    now = timezone.now()
    with transaction.atomic():
        low = {(m.warehouse_id, m.sku_id): m for m in low_stock()}
        open_alerts = {
            (a.warehouse_id, a.sku_id): a
            for a in StockAlert.objects.select_for_update().filter(resolved_at__isnull=True)
        }
        new = [
            StockAlert(
                warehouse_id=w, sku_id=s, minimum=m.minimum, quantity=m.usable, raised_at=now
            )
            for (w, s), m in low.items()
            if (w, s) not in open_alerts
        ]
        StockAlert.objects.bulk_create(new, ignore_conflicts=True)
        recovered = [a.pk for key, a in open_alerts.items() if key not in low]
        StockAlert.objects.filter(pk__in=recovered).update(resolved_at=now)
    return {"raised": len(new), "resolved": len(recovered), "open": len(low)}
