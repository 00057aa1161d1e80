"""Receiving against a purchase order, one scan at a time (keyboard-wedge scanner).

A scan is resolved to an order line (``matching``), then, under a row lock on that
line so two clerks cannot both take the last unit, the unit is registered if new and
received into the receipt's warehouse through the ledger. A serial missing from the
supplier's list (when the order has one) is received and put in quarantine as a
suspected counterfeit; it does not count against the ordered quantity (the supplier
still owes a genuine unit) until a person accepts it as genuine (``suspects``), so an
order is complete only when its genuine units are in. Wrong SKU (including a serial
that does not fit the SKU's rule), over-receipt, duplicates and unreadable codes are
refused: no unit is touched, only the receipt's tally of refusals grows.

Letter case: the register holds one serial in any letter case (``PB000002W`` and
``pb000002w`` are one unit, see ``serials.registration``), so a scan in another case
is that unit: it is received (or refused as a duplicate) under the registered spelling
(or the supplier's list's), and the message says which spelling that is.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Upper
from django.utils.translation import gettext as _

from unitrace.catalog.models import SKU
from unitrace.procurement.feedback import (
    Feedback,
    duplicate_message,
    over_message,
    registered_message,
    spelled,
    suspect_reason,
)
from unitrace.procurement.matching import (
    AsnRow,
    OrderLines,
    Outcome,
    Refused,
    Target,
    read_code,
    scan_asn_rows,
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
    code = None
    try:
        code = read_code(raw)
        lines = OrderLines(order)
        listed = scan_asn_rows(order, code.serial)
        target = lines.resolve(code, listed, chosen=sku, unit_skus=unit_skus_of)
        if target.asn is not None and target.asn.receipt_id is not None:
            unit = unit_of(target.line.sku_id, target.serial)
            raise Refused(
                Outcome.DUPLICATE,
                duplicate_message(receipt, unit[0] if unit else None, target.serial, None),
                serial=target.serial,
                sku=target.line.sku.code,
            )
        unit_id, outcome, serial = _receive(receipt, lines, target)
    except Refused as refused:
        tally(receipt, refused.outcome)
        scanned = code.serial if code is not None else ""
        return Feedback(
            refused.outcome,
            spelled(scanned, refused.serial, refused.message),
            refused.serial,
            refused.sku,
            counts=counts(order.pk, receipt.pk),
        )
    sku_code = target.line.sku.code
    if outcome == Outcome.SUSPECT:
        message = _(
            "%(serial)s is not on the supplier's list: received into quarantine as a "
            "suspected counterfeit; it does not count against the order"
        ) % {"serial": serial}
    else:
        message = _("%(serial)s accepted (%(sku)s)") % {"serial": serial, "sku": sku_code}
    return Feedback(
        outcome,
        spelled(code.serial, serial, message),
        serial,
        sku_code,
        unit_id,
        target.line.pk,
        counts=counts(order.pk, receipt.pk),
    )


def unit_of(sku_id: int, serial: str) -> tuple[int, str, str] | None:
    """(id, status, serial) of the SKU's unit with ``serial`` in any letter case.

    The same comparison as the (sku, upper(serial)) constraint, served by its index.
    """
    return (
        Unit.objects.annotate(serial_upper=Upper("serial"))
        .filter(sku_id=sku_id, serial_upper=Upper(Value(serial)))
        .values_list("pk", "status", "serial")
        .first()
    )


def _receive(receipt: Receipt, lines: OrderLines, target: Target) -> tuple[int, str, str]:
    """Register (if new) and receive the unit, all under the order line's row lock.

    Returns the unit's id, the outcome and the serial as registered.
    """
    order, sku = receipt.order, target.line.sku
    serial = target.serial
    try:
        with transaction.atomic():
            line = PurchaseOrderLine.objects.select_for_update().get(pk=target.line.pk)
            status = PurchaseOrder.objects.filter(pk=order.pk).values_list("status", flat=True)[0]
            if status not in RECEIVABLE:
                order.status = status
                raise not_receivable(order)
            unit = unit_of(sku.pk, target.serial)
            if unit is not None:
                serial = unit[2]
            suspect = lines.has_asn and not target.asn
            _guard(receipt, line, sku, serial, unit)
            if unit is None:
                new = new_unit(serial, target.asn)
                register_units(sku, [new], ref_type=REF_TYPE, ref_id=order.number)
                unit_id = Unit.objects.values_list("pk", flat=True).get(sku=sku, serial=serial)
            else:
                unit_id = unit[0]
            outcome = _record(receipt, line, unit_id, suspect=suspect)
            if target.asn is not None:
                ExpectedSerial.objects.filter(pk=target.asn.id).update(receipt=receipt)
            # only genuine units move the order's status; a suspect counts for nothing yet
            if not suspect and (
                status == PurchaseOrder.Status.OPEN or line.received_quantity + 1 == line.quantity
            ):
                refresh_received_status(order.pk)
    except ledger.LedgerError as exc:
        message = _("%(serial)s cannot be received: %(reason)s") % {
            "serial": serial,
            "reason": exc.message,
        }
        raise Refused(Outcome.DUPLICATE, message, serial=serial, sku=sku.code)
    except IntegrityError:
        # The same serial registered elsewhere at this very moment (e.g. an import).
        message = _(
            "%(serial)s was registered at the same moment by someone else; scan it again"
        ) % {"serial": serial}
        raise Refused(Outcome.DUPLICATE, message, serial=serial, sku=sku.code)
    return unit_id, outcome, serial


def _guard(receipt: Receipt, line: PurchaseOrderLine, sku: SKU, serial: str, unit) -> None:
    """Refuse a unit the ledger would not receive, or one more than the line orders.

    The line's count is of genuine units only, so a suspect is refused too once the
    line has all its units: nothing more is owed on it.
    """
    if unit is not None and refusal(EventType.RECEIVED, unit[1]):
        message = duplicate_message(receipt, unit[0], serial, unit[1])
        raise Refused(Outcome.DUPLICATE, message, serial=serial, sku=sku.code)
    if unit is None and settings.UNITRACE_SERIAL_GLOBAL_UNIQUE:
        taken = (
            Unit.objects.annotate(serial_upper=Upper("serial"))
            .filter(serial_upper=Upper(Value(serial)))
            .values_list("sku__code", flat=True)[:1]
        )
        if taken:
            message = registered_message(serial, taken[0])
            raise Refused(Outcome.DUPLICATE, message, serial=serial, sku=sku.code)
    if line.received_quantity >= line.quantity:
        message = over_message(sku.code, line.quantity, serial)
        raise Refused(Outcome.OVER_QUANTITY, message, serial=serial, sku=sku.code)


def _record(receipt: Receipt, line: PurchaseOrderLine, unit_id: int, *, suspect: bool) -> str:
    """The ledger events (received; quarantined if suspect) and the counters.

    A suspect is not counted on the line: it is counted when accepted as genuine.
    """
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
    else:
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
