"""Checking the rows of a supplier's serial list (ASN) before anything is stored.

Every row gets every check that applies (SKU on the order, serial text, duplicates in
the file, serials already on this or another open order's list, more serials than
ordered), each problem reported with its row number as the user sees it in Excel.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from unitrace.catalog.models import SKU
from unitrace.codes.serial_text import SerialFormatError, check_serial_text
from unitrace.core.dates import parse_day
from unitrace.core.errors import RowError
from unitrace.procurement.models import ExpectedSerial, PurchaseOrder, PurchaseOrderLine
from unitrace.procurement.sql import LIST_CHUNK, as_rows

OPEN_STATUSES = (
    PurchaseOrder.Status.DRAFT,
    PurchaseOrder.Status.OPEN,
    PurchaseOrder.Status.PARTIAL,
)


@dataclass
class GoodRow:
    row: int
    line: PurchaseOrderLine
    serial: str
    supplier_serial: str
    batch_code: str
    production_date: date | None


def validate_rows(order: PurchaseOrder, lines: list[PurchaseOrderLine], rows) -> tuple:
    by_code = {line.sku.code: line for line in lines}
    only = lines[0] if len(lines) == 1 else None
    unknown_skus: dict[str, bool] = {}
    good: list[GoodRow] = []
    errors: list[RowError] = []
    seen: dict[tuple[int, str], int] = {}
    count = 0
    for row_no, values in rows:
        count += 1
        row_errors: list[RowError] = []

        def err(
            name: str, value: str, message: str, code: str, row_no: int = row_no, sink=row_errors
        ) -> None:
            sink.append(RowError(row_no, field=name, code=code, message=message, value=value))

        code = values.get("sku", "").strip()
        line = by_code.get(code) if code else only
        if code and line is None:
            if code not in unknown_skus:
                unknown_skus[code] = SKU.objects.filter(code=code).exists()
            if unknown_skus[code]:
                msg = _("SKU %(code)s is not on order %(order)s") % {
                    "code": code,
                    "order": order.number,
                }
                err("sku", code, msg, "not_on_order")
            else:
                err("sku", code, _("unknown SKU '%(code)s'") % {"code": code}, "unknown_sku")
        elif line is None:
            err("sku", "", _("the SKU is missing (the order has several lines)"), "missing")
        serial = values.get("serial", "")
        try:
            check_serial_text(serial, line.sku.serial_max_length if line else 40)
            if line is not None and line.sku.enforce_pattern and line.sku.serial_pattern:
                line.sku.pattern.matches(serial)
        except SerialFormatError as exc:
            err("serial", serial, exc.message, exc.code)
        supplier_serial = values.get("supplier_serial", "").strip()
        if len(supplier_serial) > 64:
            err("supplier_serial", supplier_serial, _("longer than 64 characters"), "too_long")
        batch_code = values.get("batch", "").strip()
        if len(batch_code) > 40:
            err("batch", batch_code, _("longer than 40 characters"), "too_long")
        made = None
        if values.get("production_date"):
            try:
                made = parse_day(values["production_date"])
            except ValueError as exc:
                err("production_date", values["production_date"], str(exc), "invalid_date")
        if line is not None and not row_errors:
            first = seen.setdefault((line.sku_id, serial), row_no)
            if first != row_no:
                msg = _("duplicate of row %(row)d in this file") % {"row": first}
                err("serial", serial, msg, "duplicate")
            else:
                good.append(GoodRow(row_no, line, serial, supplier_serial, batch_code, made))
        errors.extend(row_errors)
    errors.extend(_against_database(order, good))
    errors.extend(_over_quantity(good))
    return good, errors, count


def _against_database(order: PurchaseOrder, good: list[GoodRow]) -> list[RowError]:
    """Serials already on this order's list or on another open order's; drops them."""
    errors: list[RowError] = []
    by_sku: dict[int, list[GoodRow]] = {}
    for item in good:
        by_sku.setdefault(item.line.sku_id, []).append(item)
    taken: dict[tuple[int, str], tuple[int, str]] = {}
    for sku_id, items in by_sku.items():
        for start in range(0, len(items), LIST_CHUNK):
            serials = as_rows([i.serial for i in items[start : start + LIST_CHUNK]])
            found = (
                ExpectedSerial.objects.filter(
                    sku_id=sku_id,
                    serial__in=serials,
                    order__status__in=OPEN_STATUSES,
                    receipt__isnull=True,
                )
                .exclude(order=order)
                .values_list("serial", "order_id", "order__number")
            )
            for serial, order_id, number in found:
                taken[(sku_id, serial)] = (order_id, number)
            mine = ExpectedSerial.objects.filter(order=order, sku_id=sku_id, serial__in=serials)
            for serial in mine.values_list("serial", flat=True):
                taken[(sku_id, serial)] = (order.pk, order.number)
    if not taken:
        return errors
    kept = []
    for item in good:
        hit = taken.get((item.line.sku_id, item.serial))
        if hit is None:
            kept.append(item)
        elif hit[0] == order.pk:
            errors.append(
                RowError(
                    item.row,
                    field="serial",
                    code="already_listed",
                    message=_("already on this order's serial list"),
                    value=item.serial,
                )
            )
        else:
            errors.append(
                RowError(
                    item.row,
                    field="serial",
                    code="listed_elsewhere",
                    message=_("already on the serial list of open order %(order)s")
                    % {"order": hit[1]},
                    value=item.serial,
                )
            )
    good[:] = kept
    return errors


def _over_quantity(good: list[GoodRow]) -> list[RowError]:
    """More serials announced for a line than it orders: the rows beyond are refused."""
    errors: list[RowError] = []
    used: dict[int, int] = {}
    kept = []
    for item in good:
        line = item.line
        used[line.pk] = used.get(line.pk, line.asn_quantity) + 1
        if used[line.pk] > line.quantity:
            errors.append(
                RowError(
                    item.row,
                    field="serial",
                    code="over_quantity",
                    message=_("more serials than ordered for SKU %(sku)s (%(n)d ordered)")
                    % {"sku": line.sku.code, "n": line.quantity},
                    value=item.serial,
                )
            )
        else:
            kept.append(item)
    good[:] = kept
    return errors
