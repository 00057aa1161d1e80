"""Receiving against a purchase order, one scan at a time (keyboard-wedge scanner).

A scan is resolved to an order line (``matching``), then, under a row lock on that
line so two clerks cannot both take the last unit, the unit is registered if new and
received into the receipt's warehouse through the ledger. A serial missing from the
supplier's list (when the order has one) is received and put in quarantine as a
suspected counterfeit. Wrong SKU, over-receipt, duplicates and unreadable codes are
refused: no unit is touched, only the receipt's tally of refusals grows.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from unitrace.catalog.models import SKU
from unitrace.procurement.feedback import (
    Feedback,
    duplicate_message,
    over_message,
    registered_message,
    suspect_reason,
)
from unitrace.procurement.matching import (
    AsnRow,
    OrderLines,
    Outcome,
    Refused,
    Target,
    asn_rows,
    read_code,
    unit_skus_of,
)
from unitrace.procurement.models import (
    ExpectedSerial,
    PurchaseOrder,
    PurchaseOrderLine,
    Receipt,
    SuspectUnit,
)
from unitrace.procurement.orders import RECEIVABLE, refresh_received_status
from unitrace.procurement.receipts import REF_TYPE, counts, not_receivable, tally
from unitrace.serials import ledger
from unitrace.serials.models import Unit
from unitrace.serials.registration import NewUnit, register_units
from unitrace.serials.statuses import EventType, refusal


def receive_scan(receipt: Receipt, raw: str, *, sku: SKU | None = None) -> Feedback:
    """Receive one scanned code on ``receipt``; never raises for a bad scan."""
    order = receipt.order
    if receipt.status != Receipt.Status.OPEN:
        raise ValidationError({"receipt": [_("Receipt %(n)s is closed.") % {"n": receipt.number}]})
    try:
        code = read_code(raw)
        lines = OrderLines(order)
        listed = asn_rows(order, [code.serial]).get(code.serial, [])
        target = lines.resolve(code, listed, chosen=sku, unit_skus=unit_skus_of)
        if target.asn is not None and target.asn.receipt_id is not None:
            unit = Unit.objects.filter(sku_id=target.line.sku_id, serial=target.serial).first()
            raise Refused(
                Outcome.DUPLICATE,
                duplicate_message(receipt, unit.pk if unit else None, target.serial, None),
                serial=target.serial,
                sku=target.line.sku.code,
            )
        unit_id, outcome = _receive(receipt, lines, target)
    except Refused as refused:
        tally(receipt, refused.outcome)
        return Feedback(
            refused.outcome,
            refused.message,
            refused.serial,
            refused.sku,
            counts=counts(order.pk, receipt.pk),
        )
    sku_code = target.line.sku.code
    if outcome == Outcome.SUSPECT:
        message = _(
            "%(serial)s is not on the supplier's list: received into quarantine as a "
            "suspected counterfeit"
        ) % {"serial": target.serial}
    else:
        message = _("%(serial)s accepted (%(sku)s)") % {"serial": target.serial, "sku": sku_code}
    return Feedback(
        outcome,
        message,
        target.serial,
        sku_code,
        unit_id,
        target.line.pk,
        counts=counts(order.pk, receipt.pk),
    )


def _receive(receipt: Receipt, lines: OrderLines, target: Target) -> tuple[int, str]:
    """Register (if new) and receive the unit, all under the order line's row lock."""
    order, sku = receipt.order, target.line.sku
    try:
        with transaction.atomic():
            line = PurchaseOrderLine.objects.select_for_update().get(pk=target.line.pk)
            status = PurchaseOrder.objects.filter(pk=order.pk).values_list("status", flat=True)[0]
            if status not in RECEIVABLE:
                order.status = status
                raise not_receivable(order)
            unit = (
                Unit.objects.filter(sku=sku, serial=target.serial)
                .values_list("pk", "status")
                .first()
            )
            _guard(receipt, line, sku, target.serial, unit)
            if unit is None:
                new = new_unit(target.serial, target.asn)
                register_units(sku, [new], ref_type=REF_TYPE, ref_id=order.number)
                unit_id = Unit.objects.values_list("pk", flat=True).get(
                    sku=sku, serial=target.serial
                )
            else:
                unit_id = unit[0]
            outcome = _record(receipt, line, unit_id, suspect=lines.has_asn and not target.asn)
            if target.asn is not None:
                ExpectedSerial.objects.filter(pk=target.asn.id).update(receipt=receipt)
            if status == PurchaseOrder.Status.OPEN or line.received_quantity + 1 == line.quantity:
                refresh_received_status(order.pk)
    except ledger.LedgerError as exc:
        message = _("%(serial)s cannot be received: %(reason)s") % {
            "serial": target.serial,
            "reason": exc.message,
        }
        raise Refused(Outcome.DUPLICATE, message, serial=target.serial, sku=sku.code)
    except IntegrityError:
        # The same serial registered elsewhere at this very moment (e.g. an import).
        message = _(
            "%(serial)s was registered at the same moment by someone else; scan it again"
        ) % {"serial": target.serial}
        raise Refused(Outcome.DUPLICATE, message, serial=target.serial, sku=sku.code)
    return unit_id, outcome


def _guard(receipt: Receipt, line: PurchaseOrderLine, sku: SKU, serial: str, unit) -> None:
    """Refuse a unit the ledger would not receive, or one more than the line orders."""
    if unit is not None and refusal(EventType.RECEIVED, unit[1]):
        message = duplicate_message(receipt, unit[0], serial, unit[1])
        raise Refused(Outcome.DUPLICATE, message, serial=serial, sku=sku.code)
    if unit is None and settings.UNITRACE_SERIAL_GLOBAL_UNIQUE:
        taken = Unit.objects.filter(serial=serial).values_list("sku__code", flat=True)[:1]
        if taken:
            message = registered_message(serial, taken[0])
            raise Refused(Outcome.DUPLICATE, message, serial=serial, sku=sku.code)
    if line.received_quantity >= line.quantity:
        message = over_message(sku.code, line.quantity, serial)
        raise Refused(Outcome.OVER_QUANTITY, message, serial=serial, sku=sku.code)


def _record(receipt: Receipt, line: PurchaseOrderLine, unit_id: int, *, suspect: bool) -> str:
    """The ledger events (received; quarantined if suspect) and the counters."""
    order = receipt.order
    common = {"ref_type": REF_TYPE, "ref_id": order.number, "details": {"receipt": receipt.number}}
    # the supplier on the event: the unit's file names it even without a batch
    ledger.receive(unit_id, receipt.warehouse, party=order.supplier, **common)
    outcome = Outcome.ACCEPTED
    if suspect:
        outcome = Outcome.SUSPECT
        reason = suspect_reason(order)
        ledger.quarantine(unit_id, warehouse=receipt.warehouse, notes=reason, **common)
        SuspectUnit.objects.create(
            unit_id=unit_id, order=order, line=line, receipt=receipt, reason=reason
        )
    PurchaseOrderLine.objects.filter(pk=line.pk).update(
        received_quantity=F("received_quantity") + 1
    )
    tally(receipt, outcome)
    return outcome


def new_unit(serial: str, row: AsnRow | None) -> NewUnit:
    """The unit to register, carrying the supplier's serial, batch and date from the list."""
    if row is None:
        return NewUnit(serial)
    return NewUnit(serial, row.supplier_serial, row.batch_id, row.production_date or row.batch_date)
