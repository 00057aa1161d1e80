"""Receiving many units at once: a list of scans, a range (A0001-A0100) or a file.

All or nothing: every row is checked against the same rules as a single scan (with
the order's lines locked, so counts cannot move underneath), and any refused row
refuses the whole submission with a row-by-row report. Accepted submissions are
written in bulk: ``register_units`` for new serials, then ``ledger.record_many`` for
the receipt (and the quarantine of serials missing from the supplier's list).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from unitrace.catalog.models import SKU
from unitrace.codes.pasted import expand_pasted
from unitrace.core.errors import DomainError, RowError
from unitrace.core.tabular import UNIT_IMPORT_ALIASES, TableError, iter_table
from unitrace.procurement.bulk_checks import Item, check_rows
from unitrace.procurement.feedback import suspect_reason
from unitrace.procurement.matching import (
    Code,
    OrderLines,
    Outcome,
    Refused,
    Target,
    plain_code,
    read_code,
)
from unitrace.procurement.models import (
    ExpectedSerial,
    PurchaseOrder,
    PurchaseOrderLine,
    Receipt,
    SuspectUnit,
)
from unitrace.procurement.orders import RECEIVABLE, refresh_received_status
from unitrace.procurement.receipts import REF_TYPE, not_receivable, tally
from unitrace.procurement.receiving import new_unit
from unitrace.procurement.sql import LIST_CHUNK, as_rows
from unitrace.serials import ledger
from unitrace.serials.models import Unit
from unitrace.serials.registration import register_units
from unitrace.serials.statuses import EventType

RECEIVE_ALIASES = {name: UNIT_IMPORT_ALIASES[name] for name in ("sku", "serial")}
MAX_ROWS = 1_000_000
# record_many updates units with one CASE per field and row: its cost per chunk grows
# with the square of the chunk size; 1,000 measured best (bench/procurement_receiving.py).
LEDGER_CHUNK = 1000


@dataclass
class BulkResult:
    rows: int = 0
    accepted: int = 0
    suspected: int = 0
    errors: list[RowError] = field(default_factory=list)

    def as_dict(self) -> dict:
        by_outcome: dict[str, int] = {}
        for e in self.errors:
            by_outcome[e.outcome] = by_outcome.get(e.outcome, 0) + 1
        return {
            "rows": self.rows,
            "accepted": self.accepted,
            "suspected": self.suspected,
            "error_count": len(self.errors),
            "refused_by_outcome": by_outcome,
            "errors": [e.as_dict() for e in self.errors[:1000]],
        }


class BulkRefused(DomainError):
    """Some rows were refused, so nothing was received; ``rows`` say which and why."""

    code = "receipt_refused"

    def __init__(self, result: BulkResult, *, receipt: str = ""):
        super().__init__(
            _("%(n)d of %(rows)d rows refused; nothing was received")
            % {"n": len(result.errors), "rows": result.rows},
            rows=result.errors,
        )
        self.result = result
        self.receipt = receipt

    def meta(self) -> dict:
        summary = self.result.as_dict()
        summary.pop("errors")
        return {"receipt": self.receipt, **summary} if self.receipt else summary


def receive_codes(
    receipt: Receipt, codes: list[str], *, sku: SKU | None = None, **kw
) -> BulkResult:
    """Scanned codes (serials, GS1, Digital Links); row = position in the list."""
    items: list[Item] = []
    for i, raw in enumerate(codes, 1):
        try:
            items.append((i, read_code(raw), None))
        except Refused as refused:
            refused.serial = refused.serial or raw.strip()
            items.append((i, refused, None))
    return receive_items(receipt, items, sku=sku, **kw)


def receive_range(receipt: Receipt, text: str, *, sku: SKU | None = None, **kw) -> BulkResult:
    """Pasted serials and ranges like ``A0001-A0100`` (``RangeError`` if malformed)."""
    serials = expand_pasted(text, max_count=MAX_ROWS)
    return receive_items(
        receipt, [(i, _plain(s), None) for i, s in enumerate(serials, 1)], sku=sku, **kw
    )


def _plain(serial: str) -> Code | Refused:
    try:
        return plain_code(serial)
    except Refused as refused:
        return refused


def receive_file(
    receipt: Receipt, data: bytes, filename: str, *, sku: SKU | None = None, **kw
) -> BulkResult:
    """CSV/XLSX with a serial column (序列号 …) and optionally a SKU column (型号 …)."""
    try:
        table = iter_table(data, filename, RECEIVE_ALIASES, ["serial"])
        items = _file_items(table)
    except TableError as exc:
        error = RowError(1, field="file", code=Outcome.INVALID, message=str(exc), value=filename)
        raise BulkRefused(BulkResult(errors=[error]), receipt=receipt.number)
    return receive_items(receipt, items, sku=sku, **kw)


def _file_items(rows: Iterable[tuple[int, dict[str, str]]]) -> list[Item]:
    skus: dict[str, SKU | None] = {}
    items: list[Item] = []
    for row_no, values in rows:
        serial = values.get("serial", "")
        code = values.get("sku", "")
        chosen = None
        if code:
            if code not in skus:
                skus[code] = SKU.objects.filter(code=code).first()
            chosen = skus[code]
            if chosen is None:
                items.append(
                    (
                        row_no,
                        Refused(
                            Outcome.UNKNOWN,
                            _("unknown SKU '%(code)s'") % {"code": code},
                            serial=serial,
                        ),
                        None,
                    )
                )
                continue
        items.append((row_no, _plain(serial), chosen))
    return items


def receive_items(
    receipt: Receipt,
    items: list[Item],
    *,
    sku: SKU | None = None,
    progress: Callable[[int], None] | None = None,
) -> BulkResult:
    """Check every row, then receive them all (or raise :class:`BulkRefused`)."""
    result = BulkResult(rows=len(items))
    if receipt.status != Receipt.Status.OPEN:
        result.errors.append(
            RowError(
                1,
                field="receipt",
                code=Outcome.INVALID,
                message=_("Receipt %(n)s is closed.") % {"n": receipt.number},
                value=receipt.number,
            )
        )
        raise BulkRefused(result, receipt=receipt.number)
    try:
        with transaction.atomic():
            order = PurchaseOrder.objects.get(pk=receipt.order_id)
            lines = list(
                PurchaseOrderLine.objects.select_for_update()
                .select_related("sku")
                .filter(order=order)
                .order_by("pk")
            )
            if order.status not in RECEIVABLE:
                raise not_receivable(order)
            context = OrderLines(order, lines)
            planned, result.errors = check_rows(receipt, context, items, sku)
            if result.errors:
                raise BulkRefused(result, receipt=receipt.number)
            if progress is not None:
                progress(len(items) // 2)
            result.accepted, result.suspected = _write(receipt, context, planned)
    except IntegrityError:
        result.errors = [
            RowError(
                1,
                field="serial",
                code=Outcome.DUPLICATE,
                message=_(
                    "some of these serials were registered at the same moment elsewhere; try again"
                ),
                value="",
            )
        ]
        raise BulkRefused(result, receipt=receipt.number)
    if progress is not None:
        progress(len(items))
    return result


def _write(receipt: Receipt, lines: OrderLines, planned: list[tuple[Target, int | None]]):
    order = lines.order
    fresh: dict[int, list] = {}
    for target, unit_id in planned:
        if unit_id is None:
            fresh.setdefault(target.line.sku_id, []).append(new_unit(target.serial, target.asn))
    ids: dict[tuple[int, str], int] = {}
    for sku_id, new in fresh.items():
        register_units(lines.by_sku[sku_id].sku, new, ref_type=REF_TYPE, ref_id=order.number)
        serials = [n.serial for n in new]
        for start in range(0, len(serials), LIST_CHUNK):
            part = as_rows(serials[start : start + LIST_CHUNK])
            query = Unit.objects.filter(sku_id=sku_id, serial__in=part)
            for serial, pk in query.values_list("serial", "pk"):
                ids[(sku_id, serial)] = pk
    unit_ids, suspects, asn_ids, per_line = [], [], [], {}
    for target, unit_id in planned:
        pk = unit_id if unit_id is not None else ids[(target.line.sku_id, target.serial)]
        unit_ids.append(pk)
        if target.asn is None and lines.has_asn:
            suspects.append((pk, target.line))  # not counted on the line until accepted
            continue
        per_line[target.line.pk] = per_line.get(target.line.pk, 0) + 1
        if target.asn is not None:
            asn_ids.append(target.asn.id)
    details = {"receipt": receipt.number}
    common = {"ref_type": REF_TYPE, "ref_id": order.number, "details": details}
    ledger.record_many(
        unit_ids,
        ledger.EventData(
            EventType.RECEIVED, warehouse=receipt.warehouse, party=order.supplier, **common
        ),
        chunk=LEDGER_CHUNK,
    )
    if suspects:
        reason = suspect_reason(order)
        ledger.record_many(
            [pk for pk, _line in suspects],
            ledger.EventData(
                EventType.QUARANTINED, warehouse=receipt.warehouse, notes=reason, **common
            ),
            chunk=LEDGER_CHUNK,
        )
        SuspectUnit.objects.bulk_create(
            [
                SuspectUnit(unit_id=pk, order=order, line=line, receipt=receipt, reason=reason)
                for pk, line in suspects
            ],
            batch_size=2000,
        )
    for line_id, n in per_line.items():
        PurchaseOrderLine.objects.filter(pk=line_id).update(
            received_quantity=F("received_quantity") + n
        )
    for start in range(0, len(asn_ids), LIST_CHUNK):
        part = as_rows(asn_ids[start : start + LIST_CHUNK], "bigint")
        ExpectedSerial.objects.filter(pk__in=part).update(receipt=receipt)
    accepted = len(unit_ids) - len(suspects)
    if accepted:
        tally(receipt, Outcome.ACCEPTED, accepted)
    if suspects:
        tally(receipt, Outcome.SUSPECT, len(suspects))
    refresh_received_status(order.pk)
    return accepted, len(suspects)
