"""Minimum stock per warehouse and part, and the alerts raised when stock runs low.

"Usable" stock leaves out expired lots: a shelf of expired seals does not stop the
alert. ``check_min_stock`` is safe to run twice (one open alert per part and
warehouse, enforced by a unique constraint). It runs two ways:

* for one part in one warehouse right after a stock change commits
  (``check_after_commit``, called by the part services in ``parts``), so alerts
  appear and clear at once, also in the embedded default without a beat process;
* for everything, periodically, by Celery beat (``CELERY_BEAT_SCHEDULE``), which also
  catches lots that expired overnight and minimums that were raised.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from unitrace.inventory.models import MinStock, PartStock, StockAlert

log = logging.getLogger(__name__)


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


def check_min_stock(
    *, warehouse_id: int | None = None, sku_id: int | None = None
) -> dict[str, int]:
    """Raise an alert for every part below its minimum; resolve alerts that recovered.

    ``warehouse_id`` and ``sku_id`` narrow the check (and the alerts it may resolve)
    to one warehouse, one part, or one part in one warehouse.
    """
    now = timezone.now()
    scope = {}
    if warehouse_id is not None:
        scope["warehouse_id"] = warehouse_id
    if sku_id is not None:
        scope["sku_id"] = sku_id
    with transaction.atomic():
        low = {(m.warehouse_id, m.sku_id): m for m in low_stock(MinStock.objects.filter(**scope))}
        open_alerts = {
            (a.warehouse_id, a.sku_id): a
            for a in StockAlert.objects.select_for_update().filter(
                resolved_at__isnull=True, **scope
            )
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


def check_after_commit(warehouse_id: int, sku_id: int) -> None:
    """Check one part in one warehouse once the caller's transaction commits.

    Nothing happens if it rolls back; a failing check is logged and never undoes or
    fails the stock change that already committed (the beat run catches up).
    """

    def run() -> None:
        try:
            check_min_stock(warehouse_id=warehouse_id, sku_id=sku_id)
        except Exception:
            log.exception("minimum-stock check of sku %s in warehouse %s", sku_id, warehouse_id)

    transaction.on_commit(run)
