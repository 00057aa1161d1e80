"""Deliveries (出库/交付): units leave a warehouse and are bound to the order's buyer.

One delivery is all or nothing. Every scanned row is checked (known serial, the
ordered SKU, in stock at this warehouse, not quarantined/blocked/recalled/missing/
sold, not more than the order line still needs) under row locks on the order lines
and the units, and then all units move through ``ledger.record_many`` in bulk: a
10,000-unit delivery is a handful of queries per 2,000 units, not 10,000 round trips.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from unitrace.catalog.models import SKU
from unitrace.core.audit import log_change
from unitrace.core.errors import RowError
from unitrace.core.models import ChangeLog
from unitrace.core.numbering import assign_number, placeholder
from unitrace.places.models import Warehouse
from unitrace.sales.models import Delivery, DeliveryItem, SalesOrder, SalesOrderLine
from unitrace.sales.orders import refresh_status
from unitrace.sales.scanning import InputRefused, ScanRow, read_code
from unitrace.sales.stock_checks import stock_problem
from unitrace.serials import ledger
from unitrace.serials.models import Unit
from unitrace.serials.resolver import units_by_serial
from unitrace.serials.statuses import EventType

CHUNK = 2000


class DeliveryRefused(InputRefused):
    """A delivery refused as a whole or row by row; nothing was delivered."""

    code = "delivery_refused"


def _find_units(serials: list[str]) -> dict[str, list[tuple[int, int]]]:
    """serial -> [(unit id, sku id)], a few queries for any number of serials."""
    units = units_by_serial(serials, Unit.objects.only("pk", "serial", "sku_id"))
    return {serial: [(u.pk, u.sku_id) for u in found] for serial, found in units.items()}


def _resolve(
    order: SalesOrder, lines: dict[int, SalesOrderLine], rows: list[ScanRow]
) -> tuple[list[tuple[ScanRow, int, SalesOrderLine]], list[RowError]]:
    """Which unit and order line each row names; rows that name none get an error."""
    errors: list[RowError] = []
    parsed = []
    for row in rows:
        serial, gtin, problem = read_code(row.code)
        if problem:
            errors.append(
                RowError(
                    row.row, field="serial", code="unreadable", message=problem, value=row.code
                )
            )
        else:
            parsed.append((row, serial, gtin))
    found = _find_units(list(dict.fromkeys(serial for _r, serial, _g in parsed)))
    sku_ids = {sku_id for units in found.values() for _pk, sku_id in units}
    skus = {s.pk: s for s in SKU.objects.filter(pk__in=sku_ids).only("code", "gtin")}
    ordered = ", ".join(sorted(line.sku.code for line in lines.values()))
    matches: list[tuple[ScanRow, int, SalesOrderLine]] = []
    first_row: dict[int, int] = {}
    for row, serial, gtin in parsed:
        candidates = found.get(serial, [])
        if gtin:
            candidates = [c for c in candidates if skus[c[1]].gtin == gtin]
        if row.sku:
            candidates = [c for c in candidates if skus[c[1]].code == row.sku]
        if not candidates:
            errors.append(
                RowError(
                    row.row,
                    field="serial",
                    code="unknown_serial",
                    message=_("no unit with serial %(s)s") % {"s": serial},
                    value=row.code,
                )
            )
            continue
        on_order = [c for c in candidates if c[1] in lines]
        if not on_order:
            codes = ", ".join(sorted({skus[c[1]].code for c in candidates}))
            errors.append(
                RowError(
                    row.row,
                    field="serial",
                    code="wrong_sku",
                    message=_("SKU %(sku)s is not on order %(order)s (ordered: %(ordered)s)")
                    % {"sku": codes, "order": order.number, "ordered": ordered},
                    value=row.code,
                )
            )
            continue
        if len(on_order) > 1:
            codes = ", ".join(sorted(skus[c[1]].code for c in on_order))
            errors.append(
                RowError(
                    row.row,
                    field="serial",
                    code="ambiguous",
                    message=_(
                        "serial %(s)s exists under SKUs %(skus)s: scan the barcode with the GTIN"
                    )
                    % {"s": serial, "skus": codes},
                    value=row.code,
                )
            )
            continue
        pk, sku_id = on_order[0]
        if pk in first_row:
            errors.append(
                RowError(
                    row.row,
                    field="serial",
                    code="duplicate",
                    message=_("the same unit as row %(row)d") % {"row": first_row[pk]},
                    value=row.code,
                )
            )
            continue
        first_row[pk] = row.row
        matches.append((row, pk, lines[sku_id]))
    return matches, errors


def _check_locked(
    matches: list[tuple[ScanRow, int, SalesOrderLine]], warehouse: Warehouse
) -> tuple[list[tuple[ScanRow, int, SalesOrderLine]], list[RowError]]:
    """Lock the units (in id order, so concurrent deliveries can't deadlock) and check them."""
    ids = sorted(pk for _row, pk, _line in matches)
    state: dict[int, tuple] = {}
    for start in range(0, len(ids), CHUNK):
        query = Unit.objects.select_for_update().filter(pk__in=ids[start : start + CHUNK])
        for pk, *rest in query.order_by("pk").values_list(
            "pk", "status", "warehouse_id", "sold_at"
        ):
            state[pk] = tuple(rest)
    codes = dict(
        Warehouse.objects.filter(
            pk__in={s[1] for s in state.values() if s[1] is not None}
        ).values_list("pk", "code")
    )
    good, errors = [], []
    for row, pk, line in matches:
        status, warehouse_id, sold_at = state[pk]
        problem = stock_problem(
            status, warehouse_id, sold_at, warehouse=warehouse, warehouse_codes=codes
        )
        if problem:
            errors.append(
                RowError(
                    row.row, field="serial", code=problem[0], message=problem[1], value=row.code
                )
            )
        else:
            good.append((row, pk, line))
    return good, errors


def _over_delivery(
    matches: list[tuple[ScanRow, int, SalesOrderLine]],
) -> list[RowError]:
    """Rows past what each order line still needs (in the order they were scanned)."""
    errors, taken = [], Counter()
    for row, _pk, line in matches:
        taken[line.pk] += 1
        if taken[line.pk] > line.remaining:
            errors.append(
                RowError(
                    row.row,
                    field="serial",
                    code="over_delivery",
                    message=_(
                        "order line %(sku)s: %(ordered)d ordered, %(delivered)d delivered, "
                        "%(remaining)d still to deliver — this unit is one too many"
                    )
                    % {
                        "sku": line.sku.code,
                        "ordered": line.quantity,
                        "delivered": line.delivered,
                        "remaining": line.remaining,
                    },
                    value=row.code,
                )
            )
    return errors


def deliver_order(
    order: SalesOrder,
    warehouse: Warehouse,
    rows: list[ScanRow],
    *,
    when: datetime | None = None,
    notes: str = "",
    user=None,
    carrier: str = "",
    tracking_number: str = "",
) -> Delivery:
    """Deliver the scanned units against ``order``, all or nothing (``DeliveryRefused``)."""
    if not rows:
        raise DeliveryRefused(_("Scan or list at least one unit."))
    when = when or timezone.now()
    with transaction.atomic():
        order = SalesOrder.objects.select_for_update().select_related("buyer").get(pk=order.pk)
        if order.status in (SalesOrder.Status.DELIVERED, SalesOrder.Status.CANCELLED):
            raise DeliveryRefused(
                _("Order %(order)s is %(status)s: nothing more can be delivered against it.")
                % {"order": order.number, "status": order.get_status_display()}
            )
        lines = {
            line.sku_id: line
            for line in SalesOrderLine.objects.select_for_update()
            .select_related("sku")
            .filter(order=order)
            .order_by("pk")
        }
        matches, errors = _resolve(order, lines, rows)
        good, locked_errors = _check_locked(matches, warehouse)
        errors += locked_errors + _over_delivery(good)
        if errors:
            raise DeliveryRefused(
                _("%(n)d of %(total)d rows refused; nothing was delivered")
                % {"n": len(errors), "total": len(rows)},
                errors,
            )
        delivery = Delivery(
            number=placeholder(),
            order=order,
            warehouse=warehouse,
            buyer=order.buyer,
            delivered_at=when,
            unit_count=len(good),
            notes=notes,
            carrier=carrier.strip(),
            tracking_number=tracking_number.strip(),
            created_by=user if user is not None and user.is_authenticated else None,
        )
        delivery.save()
        assign_number(delivery, "DN", timezone.localdate())
        _record(delivery, good)
        per_line = Counter(line.pk for _row, _pk, line in good)
        for line_pk, count in per_line.items():
            SalesOrderLine.objects.filter(pk=line_pk).update(delivered=F("delivered") + count)
        refresh_status(order)
        log_change(delivery, ChangeLog.Action.CREATE)
    return delivery


def _record(delivery: Delivery, good: list[tuple[ScanRow, int, SalesOrderLine]]) -> None:
    ids = [pk for _row, pk, _line in good]
    try:
        ledger.record_many(
            ids,
            ledger.EventData(
                EventType.DELIVERED,
                when=delivery.delivered_at,
                party=delivery.buyer,
                ref_type="DN",
                ref_id=delivery.number,
                notes=delivery.notes,
            ),
        )
    except ledger.BulkLedgerError as exc:
        by_unit = {pk: row for row, pk, _line in good}
        raise DeliveryRefused(
            str(exc.message),
            [
                RowError(
                    by_unit[e.unit.pk].row,
                    field="serial",
                    code=e.code,
                    message=e.message,
                    value=by_unit[e.unit.pk].code,
                )
                for e in exc.errors
                if e.unit is not None
            ],
        )
    DeliveryItem.objects.bulk_create(
        [DeliveryItem(delivery=delivery, line=line, unit_id=pk) for _row, pk, line in good],
        batch_size=CHUNK,
    )


@dataclass(frozen=True)
class ScanCheck:
    """The answer to one scan of a delivery being put together; nothing is written.

    ``outcome`` is ``accepted`` (the unit may go on this delivery), ``duplicate`` (the
    same unit was scanned before in this delivery) or ``refused``; ``reason`` is the
    row-error code the delivery itself would give (``wrong_sku``, ``wrong_warehouse``,
    ``status_quarantined``, ``over_delivery``...). ``per_line`` counts the units
    scanned so far for each order line (SKU code), this one included when accepted.
    """

    code: str
    outcome: str
    message: str
    reason: str = ""
    serial: str = ""
    sku: str = ""
    scanned: int = 0
    per_line: dict[str, int] = field(default_factory=dict)


def check_scan(
    order: SalesOrder,
    warehouse: Warehouse | None,
    code: str,
    scanned: Sequence[str] = (),
) -> ScanCheck:
    """Check one scan at once, with the rules ``deliver_order`` applies at the end.

    ``scanned`` are the codes accepted before in this delivery, in order. The unit's
    state is read from its row as the ledger left it (in stock here, not held, not
    sold), so the clerk hears of a problem at the scan, not at the submit; the
    delivery still checks every row again under its locks.
    """
    codes_before = [c for c in (str(c).strip() for c in scanned) if c]
    previous = [ScanRow(i, c) for i, c in enumerate(codes_before, 1)]
    code = (code or "").strip()
    lines = {
        line.sku_id: line
        for line in SalesOrderLine.objects.select_related("sku").filter(order=order)
    }
    before, _errors = _resolve(order, lines, previous) if previous else ([], [])
    tally = Counter(line.sku.code for _row, _pk, line in before)

    def answer(outcome: str, message: str, reason: str = "", **kw) -> ScanCheck:
        counts = Counter(tally)
        if outcome == "accepted":
            counts[kw["sku"]] += 1
        return ScanCheck(
            code,
            outcome,
            message,
            reason,
            scanned=len(before) + (outcome == "accepted"),
            per_line={line.sku.code: counts[line.sku.code] for line in lines.values()},
            **kw,
        )

    if order.status in (SalesOrder.Status.DELIVERED, SalesOrder.Status.CANCELLED):
        return answer(
            "refused",
            _("Order %(order)s is %(status)s: nothing more can be delivered against it.")
            % {"order": order.number, "status": order.get_status_display()},
            "order_closed",
        )
    if warehouse is None:
        return answer("refused", _("Choose the warehouse first."), "no_warehouse")
    matches, errors = _resolve(order, lines, [ScanRow(len(previous) + 1, code)])
    if errors:
        return answer("refused", errors[0].message, errors[0].code)
    row, pk, line = matches[0]
    unit = Unit.objects.filter(pk=pk).values("serial", "status", "warehouse_id", "sold_at").get()
    found = {"serial": unit["serial"], "sku": line.sku.code}
    first = next((r.row for r, other, _line in before if other == pk), None)
    if first is not None:
        return answer(
            "duplicate",
            _("already scanned in this delivery (scan %(n)d)") % {"n": first},
            "duplicate",
            **found,
        )
    codes = {}
    if unit["warehouse_id"] is not None:
        codes = dict(Warehouse.objects.filter(pk=unit["warehouse_id"]).values_list("pk", "code"))
    problem = stock_problem(
        unit["status"],
        unit["warehouse_id"],
        unit["sold_at"],
        warehouse=warehouse,
        warehouse_codes=codes,
    )
    if problem:
        return answer("refused", problem[1], problem[0], **found)
    over = [e for e in _over_delivery([*before, (row, pk, line)]) if e.row == row.row]
    if over:
        return answer("refused", over[0].message, "over_delivery", **found)
    return answer(
        "accepted",
        _("in stock at %(warehouse)s: may go on this delivery") % {"warehouse": warehouse.code},
        **found,
    )
