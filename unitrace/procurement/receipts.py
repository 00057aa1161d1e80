"""Receipts (收货单): the receiving sessions of an order, and the tallies they keep.

A receipt is opened on the first scan into a warehouse and shared by every clerk
scanning that order there; its tallies count each scan once by outcome and are the
supplier-quality record (``selectors.supplier_quality``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from unitrace.core.audit import log_change
from unitrace.core.models import ChangeLog
from unitrace.core.numbering import part_number
from unitrace.procurement.matching import TALLY, Outcome
from unitrace.procurement.models import PurchaseOrder, PurchaseOrderLine, Receipt
from unitrace.procurement.orders import RECEIVABLE

# The document type unit events carry; their ref_id is the order number.
REF_TYPE = "PO"


def not_receivable(order: PurchaseOrder) -> ValidationError:
    return ValidationError(
        {
            "status": [
                _("Order %(order)s is %(status)s; goods cannot be received on it.")
                % {"order": order.number, "status": order.get_status_display()}
            ]
        }
    )


def open_receipt(order: PurchaseOrder, warehouse, user=None) -> Receipt:
    """The order's open receipt into ``warehouse``, created on first use."""
    found = Receipt.objects.filter(order=order, warehouse=warehouse, status=Receipt.Status.OPEN)
    existing = found.select_related("order", "warehouse").first()
    if existing is not None:
        return existing
    with transaction.atomic():
        order = PurchaseOrder.objects.select_for_update().get(pk=order.pk)
        if order.status not in RECEIVABLE:
            raise not_receivable(order)
        existing = found.select_related("order", "warehouse").first()
        if existing is not None:
            return existing
        number = part_number(order.number, "R", order.receipts.count() + 1)
        receipt = Receipt.objects.create(
            number=number,
            order=order,
            warehouse=warehouse,
            opened_by=user if user is not None and user.is_authenticated else None,
            opened_at=timezone.now(),
        )
        log_change(receipt, ChangeLog.Action.CREATE)
    return receipt


def close_receipt(receipt: Receipt) -> Receipt:
    with transaction.atomic():
        receipt = Receipt.objects.select_for_update().get(pk=receipt.pk)
        if receipt.status == Receipt.Status.OPEN:
            receipt.status = Receipt.Status.CLOSED
            receipt.closed_at = timezone.now()
            receipt.save(update_fields=["status", "closed_at"])
            log_change(
                receipt, ChangeLog.Action.UPDATE, before={"id": receipt.pk, "status": "open"}
            )
    return receipt


def tally(receipt: Receipt, outcome: str, count: int = 1) -> None:
    """Count scans on the receipt, by outcome (the supplier-quality record)."""
    column = TALLY[outcome]
    Receipt.objects.filter(pk=receipt.pk).update(
        scanned=F("scanned") + count, **{column: F(column) + count}
    )


def counts(order_id: int, receipt_id: int | None = None) -> dict:
    """Running counts for the receiving page: per line, per order, per receipt (2 queries)."""
    lines = list(
        PurchaseOrderLine.objects.filter(order_id=order_id)
        .select_related("sku")
        .order_by("pk")
        .only("quantity", "received_quantity", "asn_quantity", "sku__code", "sku__name")
    )
    data: dict = {
        "lines": [
            {
                "id": line.pk,
                "sku": line.sku.code,
                "name": line.sku.name,
                "ordered": line.quantity,
                "received": line.received_quantity,
                "remaining": line.remaining,
                "on_asn": line.asn_quantity,
            }
            for line in lines
        ],
        "ordered": sum(line.quantity for line in lines),
        "received": sum(line.received_quantity for line in lines),
    }
    if receipt_id is not None:
        tallies = (
            Receipt.objects.filter(pk=receipt_id)
            .values("number", "scanned", *TALLY.values())
            .first()
        )
        refused = sum(
            tallies[TALLY[o]] for o in TALLY if o not in (Outcome.ACCEPTED, Outcome.SUSPECT)
        )
        data["receipt"] = {**tallies, "refused": refused}
    return data
