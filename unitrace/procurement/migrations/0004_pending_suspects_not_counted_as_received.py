"""Suspects still waiting for a decision no longer count as received on their line.

Receiving used to count a unit off the supplier's list against the ordered quantity
the moment it was quarantined, so suspects could "fill" an order and close it to the
genuine units still to come. Now a suspect is counted only when accepted as genuine
(a rejected one was already taken off). This takes the pending ones off their lines'
received counts and sets the orders' open / partially received / received status
from the corrected counts, as ``orders.refresh_received_status`` would.
"""

from django.db import migrations
from django.db.models import Count, F, Sum

RECEIVING = ("open", "partial", "received")


def _count_pending(apps, sign: int) -> None:
    SuspectUnit = apps.get_model("procurement", "SuspectUnit")
    PurchaseOrderLine = apps.get_model("procurement", "PurchaseOrderLine")
    PurchaseOrder = apps.get_model("procurement", "PurchaseOrder")
    pending = (
        SuspectUnit.objects.filter(decision="pending")
        .values("line_id")
        .annotate(n=Count("id"))
        .order_by("line_id")
    )
    orders = set()
    for row in pending:
        line = PurchaseOrderLine.objects.filter(pk=row["line_id"])
        if sign < 0:
            # never below zero, whatever hand edits happened
            line.update(received_quantity=F("received_quantity") - row["n"])
            line.filter(received_quantity__lt=0).update(received_quantity=0)
        else:
            line.update(received_quantity=F("received_quantity") + row["n"])
        orders.update(line.values_list("order_id", flat=True))
    for order in PurchaseOrder.objects.filter(pk__in=orders, status__in=RECEIVING):
        totals = PurchaseOrderLine.objects.filter(order=order).aggregate(
            received=Sum("received_quantity"), short=Sum(F("quantity") - F("received_quantity"))
        )
        if not totals["received"]:
            status = "open"
        elif totals["short"]:
            status = "partial"
        else:
            status = "received"
        if status != order.status:
            PurchaseOrder.objects.filter(pk=order.pk).update(status=status)


def uncount_pending(apps, schema_editor) -> None:
    _count_pending(apps, -1)


def recount_pending(apps, schema_editor) -> None:
    _count_pending(apps, +1)


class Migration(migrations.Migration):
    dependencies = [("procurement", "0003_places_in_state")]

    operations = [migrations.RunPython(uncount_pending, recount_pending)]
