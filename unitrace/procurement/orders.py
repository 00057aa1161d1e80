"""Purchase orders: creating and editing them, their lines, and their status.

Status moves by hand between draft → open → closed / cancelled; "partially received"
and "received" follow from the receiving counters (``refresh_received_status``).
Every edit is change-logged; service errors are ``ValidationError`` dicts keyed by
field, which the API and the pages show next to the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from unitrace.catalog.models import SKU
from unitrace.core.audit import delete_with_log, log_change, save_with_log, snapshot
from unitrace.core.models import ChangeLog
from unitrace.core.numbering import assign_number, placeholder
from unitrace.parties.models import Party
from unitrace.procurement.models import PurchaseOrder, PurchaseOrderLine, Receipt

S = PurchaseOrder.Status
RECEIVABLE = frozenset({S.OPEN, S.PARTIAL})
ASN_EDITABLE = frozenset({S.DRAFT, S.OPEN, S.PARTIAL})
LINES_EDITABLE = frozenset({S.DRAFT, S.OPEN, S.PARTIAL})
HEADER_FIELDS = ("number", "supplier", "warehouse", "order_date", "currency", "notes")


@dataclass(frozen=True)
class LineInput:
    sku: SKU
    quantity: int
    unit_price: Decimal = Decimal("0")
    expected_date: date | None = None


def _check_supplier(supplier: Party) -> None:
    if supplier.kind != Party.Kind.SUPPLIER:
        raise ValidationError(
            {"supplier": [_("%(party)s is not a supplier.") % {"party": supplier.code}]}
        )
    if not supplier.active:
        raise ValidationError(
            {"supplier": [_("%(party)s is inactive.") % {"party": supplier.code}]}
        )


def _check_lines(lines: list[LineInput]) -> None:
    problems: list[str] = []
    seen: set[int] = set()
    for item in lines:
        if not item.sku.serialized:
            problems.append(_("SKU %(code)s is not serialized.") % {"code": item.sku.code})
        if item.sku.pk in seen:
            problems.append(
                _("SKU %(code)s appears twice; put its whole quantity on one line.")
                % {"code": item.sku.code}
            )
        seen.add(item.sku.pk)
        if item.quantity is None or item.quantity < 1:
            problems.append(
                _("SKU %(code)s: the quantity must be at least 1.") % {"code": item.sku.code}
            )
        if item.unit_price is not None and item.unit_price < 0:
            problems.append(
                _("SKU %(code)s: the price cannot be negative.") % {"code": item.sku.code}
            )
    if problems:
        raise ValidationError({"lines": problems})


def create_order(
    supplier: Party,
    lines: list[LineInput],
    *,
    number: str = "",
    warehouse=None,
    order_date: date | None = None,
    currency: str = "CNY",
    notes: str = "",
    user=None,
) -> PurchaseOrder:
    """A new draft order; without a number it gets PO-YYYYMMDD-000123."""
    _check_supplier(supplier)
    if not lines:
        raise ValidationError({"lines": [_("An order needs at least one line.")]})
    _check_lines(lines)
    number = number.strip()
    with transaction.atomic():
        order = PurchaseOrder(
            number=number or placeholder(30),
            supplier=supplier,
            warehouse=warehouse,
            order_date=order_date or timezone.localdate(),
            currency=currency or "CNY",
            notes=notes,
            created_by=user if user is not None and user.is_authenticated else None,
        )
        order.full_clean()
        order.save()
        if not number:
            assign_number(order, "PO", order.order_date)
        log_change(order, ChangeLog.Action.CREATE)
        for item in lines:
            _save_line(order, item)
    return order


def _save_line(order: PurchaseOrder, item: LineInput) -> PurchaseOrderLine:
    line = PurchaseOrderLine(
        order=order,
        sku=item.sku,
        quantity=item.quantity,
        unit_price=item.unit_price or Decimal("0"),
        expected_date=item.expected_date,
    )
    return save_with_log(line)


def update_order(order: PurchaseOrder, **changes) -> PurchaseOrder:
    """Header edits; the supplier can only change while nothing is tied to it."""
    unknown = set(changes) - set(HEADER_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    if order.status in (S.CLOSED, S.CANCELLED):
        raise ValidationError({"status": [_("A closed or cancelled order cannot be changed.")]})
    supplier = changes.get("supplier")
    if supplier is not None and supplier.pk != order.supplier_id:
        _check_supplier(supplier)
        if order.receipts.exists() or order.expected_serials.exists():
            raise ValidationError(
                {"supplier": [_("Goods or a serial list already refer to this supplier.")]}
            )
    number = changes.get("number")
    if number is not None and number.strip() != order.number and order.receipts.exists():
        # Unit events name the order by its number: it stays fixed once goods arrived.
        raise ValidationError({"number": [_("Goods were received under this number.")]})
    for key, value in changes.items():
        setattr(order, key, value.strip() if isinstance(value, str) else value)
    return save_with_log(order)


def add_line(order: PurchaseOrder, item: LineInput) -> PurchaseOrderLine:
    if order.status not in LINES_EDITABLE:
        raise ValidationError({"lines": [_("Lines of this order can no longer change.")]})
    if order.lines.filter(sku=item.sku).exists():
        raise ValidationError(
            {"sku": [_("SKU %(code)s is already on this order.") % {"code": item.sku.code}]}
        )
    _check_lines([item])
    return _save_line(order, item)


def update_line(line: PurchaseOrderLine, **changes) -> PurchaseOrderLine:
    """Change quantity, price or date; never below what arrived or was announced."""
    with transaction.atomic():
        line = PurchaseOrderLine.objects.select_for_update().select_related("order").get(pk=line.pk)
        if line.order.status not in LINES_EDITABLE:
            raise ValidationError({"lines": [_("Lines of this order can no longer change.")]})
        quantity = changes.get("quantity", line.quantity)
        floor = max(line.received_quantity, line.asn_quantity, 1)
        if quantity is None or quantity < floor:
            raise ValidationError(
                {
                    "quantity": [
                        _(
                            "At least %(n)d: %(received)d already received, %(asn)d on the "
                            "supplier's list."
                        )
                        % {"n": floor, "received": line.received_quantity, "asn": line.asn_quantity}
                    ]
                }
            )
        if changes.get("unit_price") is not None and changes["unit_price"] < 0:
            raise ValidationError({"unit_price": [_("The price cannot be negative.")]})
        for key in ("quantity", "unit_price", "expected_date"):
            if key in changes:
                setattr(line, key, changes[key])
        save_with_log(line)
    refresh_received_status(line.order_id)
    return line


def delete_line(line: PurchaseOrderLine) -> None:
    with transaction.atomic():
        line = PurchaseOrderLine.objects.select_for_update().select_related("order").get(pk=line.pk)
        if line.order.status not in LINES_EDITABLE:
            raise ValidationError({"lines": [_("Lines of this order can no longer change.")]})
        if line.received_quantity or line.asn_quantity:
            raise ValidationError(
                {"lines": [_("Units were received or announced on this line; keep it.")]}
            )
        if line.order.lines.count() == 1:
            raise ValidationError({"lines": [_("An order needs at least one line.")]})
        delete_with_log(line)


def delete_order(order: PurchaseOrder) -> None:
    if order.status != S.DRAFT or order.receipts.exists():
        raise ValidationError({"status": [_("Only a draft order can be deleted.")]})
    with transaction.atomic():
        for line in order.lines.all():
            delete_with_log(line)
        delete_with_log(order)


def _set_status(order: PurchaseOrder, new: str) -> None:
    before = snapshot(order)
    order.status = new
    PurchaseOrder.objects.filter(pk=order.pk).update(status=new)
    log_change(order, ChangeLog.Action.UPDATE, before=before)


def open_order(order: PurchaseOrder) -> PurchaseOrder:
    """Draft → open: the order is sent to the supplier and goods may be received."""
    with transaction.atomic():
        order = PurchaseOrder.objects.select_for_update().get(pk=order.pk)
        if order.status != S.DRAFT:
            raise ValidationError({"status": [_("Only a draft order can be opened.")]})
        _set_status(order, S.OPEN)
    return order


def close_order(order: PurchaseOrder) -> PurchaseOrder:
    """No more goods expected (short-closed if lines are incomplete); receipts close too."""
    with transaction.atomic():
        order = PurchaseOrder.objects.select_for_update().get(pk=order.pk)
        # Lock the lines too: a scan in flight finishes first, later ones see "closed".
        list(PurchaseOrderLine.objects.select_for_update().filter(order=order))
        if order.status not in (S.OPEN, S.PARTIAL, S.RECEIVED):
            raise ValidationError({"status": [_("Only an open order can be closed.")]})
        _set_status(order, S.CLOSED)
        Receipt.objects.filter(order=order, status=Receipt.Status.OPEN).update(
            status=Receipt.Status.CLOSED, closed_at=timezone.now()
        )
    return order


def cancel_order(order: PurchaseOrder) -> PurchaseOrder:
    with transaction.atomic():
        order = PurchaseOrder.objects.select_for_update().get(pk=order.pk)
        lines = list(PurchaseOrderLine.objects.select_for_update().filter(order=order))
        if order.status in (S.PARTIAL, S.RECEIVED) or any(x.received_quantity for x in lines):
            raise ValidationError(
                {"status": [_("Goods were received on this order; close it instead.")]}
            )
        if order.status not in (S.DRAFT, S.OPEN):
            raise ValidationError({"status": [_("Only a draft or open order can be cancelled.")]})
        _set_status(order, S.CANCELLED)
    return order


STATUS_ACTIONS = {"open": open_order, "close": close_order, "cancel": cancel_order}


def refresh_received_status(order_id: int) -> str:
    """Open ↔ partially received ↔ received, from the line counters (one query)."""
    totals = PurchaseOrderLine.objects.filter(order_id=order_id).aggregate(
        ordered=Sum("quantity"),
        received=Sum("received_quantity"),
        short=Sum(F("quantity") - F("received_quantity")),
    )
    received = totals["received"] or 0
    if not received:
        wanted = S.OPEN
    elif totals["short"]:
        wanted = S.PARTIAL
    else:
        wanted = S.RECEIVED
    order = PurchaseOrder.objects.filter(pk=order_id, status__in=RECEIVABLE | {S.RECEIVED}).first()
    if order is not None and order.status != wanted:
        _set_status(order, wanted)
    return wanted
