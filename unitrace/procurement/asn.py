"""The supplier's serial list (ASN, 发货清单): which serials should arrive on an order.

Imported from CSV/XLSX or the API before the goods arrive. Every row is checked and
every problem reported with its row number; all-or-nothing by default, or only the
valid rows with ``mode="valid-only"``. Unknown batch numbers of the order's SKUs are
created for the supplier (the supplier's lot is news to us, not a mistake).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F
from django.utils.translation import gettext as _

from unitrace.catalog.models import Batch
from unitrace.core.audit import save_with_log
from unitrace.core.errors import DomainError, RowError
from unitrace.core.tabular import UNIT_IMPORT_ALIASES, TableError, iter_table
from unitrace.procurement.asn_checks import GoodRow, validate_rows
from unitrace.procurement.models import ExpectedSerial, PurchaseOrder, PurchaseOrderLine
from unitrace.procurement.orders import ASN_EDITABLE

MODES = ("all", "valid-only")
ASN_COLUMNS = ("sku", "serial", "supplier_serial", "batch", "production_date")
ASN_ALIASES = {name: UNIT_IMPORT_ALIASES[name] for name in ASN_COLUMNS}


@dataclass
class AsnResult:
    mode: str
    rows: int = 0
    created: int = 0
    errors: list[RowError] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "mode": self.mode,
            "rows": self.rows,
            "created": self.created,
            "error_count": len(self.errors),
            "rows_with_errors": len({e.row for e in self.errors}),
            "errors": [e.as_dict() for e in self.errors[:1000]],
        }


class AsnRefused(DomainError):
    """Errors in an all-or-nothing import (or an unreadable file): nothing was stored."""

    code = "import_refused"

    def __init__(self, result: AsnResult):
        super().__init__(
            _("%(n)d errors in %(rows)d rows; nothing was imported")
            % {"n": len(result.errors), "rows": len({e.row for e in result.errors})},
            rows=result.errors,
        )
        self.result = result

    def meta(self) -> dict:
        summary = self.result.as_dict()
        summary.pop("errors")
        return summary


def import_asn_rows(
    order: PurchaseOrder,
    rows: Iterable[tuple[int, dict[str, str]]],
    *,
    mode: str = "all",
    progress: Callable[[int], None] | None = None,
) -> AsnResult:
    """Validate and store ASN rows for ``order`` (rows: (row number, {column: text}))."""
    if mode not in MODES:
        raise ValueError(_("mode must be one of: %(modes)s") % {"modes": ", ".join(MODES)})
    with transaction.atomic():
        order = PurchaseOrder.objects.select_for_update().get(pk=order.pk)
        if order.status not in ASN_EDITABLE:
            raise ValidationError(
                {
                    "status": [
                        _("The serial list of a %(status)s order cannot change.")
                        % {"status": order.get_status_display()}
                    ]
                }
            )
        lines = list(
            PurchaseOrderLine.objects.select_for_update()
            .select_related("sku")
            .filter(order=order)
            .order_by("pk")
        )
        good, errors, count = validate_rows(order, lines, rows)
        result = AsnResult(mode, rows=count, errors=sorted(errors, key=lambda e: e.row))
        if errors and mode == "all":
            raise AsnRefused(result)
        batches = _batches(order, good)
        ExpectedSerial.objects.bulk_create(
            (
                ExpectedSerial(
                    order=order,
                    line=item.line,
                    sku_id=item.line.sku_id,
                    serial=item.serial,
                    supplier_serial=item.supplier_serial,
                    batch=batches.get((item.line.sku_id, item.batch_code)),
                    production_date=item.production_date,
                )
                for item in good
            ),
            batch_size=5000,
        )
        added: dict[int, int] = {}
        for item in good:
            added[item.line.pk] = added.get(item.line.pk, 0) + 1
        for line_id, n in added.items():
            PurchaseOrderLine.objects.filter(pk=line_id).update(asn_quantity=F("asn_quantity") + n)
        result.created = len(good)
    if progress is not None:
        progress(count)
    return result


def _batches(order: PurchaseOrder, good: list[GoodRow]) -> dict[tuple[int, str], Batch]:
    """The batches the rows name, creating the supplier's new lots (change-logged)."""
    wanted: dict[tuple[int, str], date | None] = {}
    for item in good:
        if item.batch_code:
            key = (item.line.sku_id, item.batch_code)
            wanted.setdefault(key, item.production_date)
    found: dict[tuple[int, str], Batch] = {}
    for sku_id in {key[0] for key in wanted}:
        codes = [code for s, code in wanted if s == sku_id]
        for batch in Batch.objects.filter(sku_id=sku_id, code__in=codes):
            found[(sku_id, batch.code)] = batch
    for (sku_id, code), made in wanted.items():
        if (sku_id, code) not in found:
            found[(sku_id, code)] = save_with_log(
                Batch(sku_id=sku_id, code=code, production_date=made, supplier=order.supplier)
            )
    return found


def import_asn_file(order: PurchaseOrder, data: bytes, filename: str, **kwargs) -> AsnResult:
    """A CSV/XLSX upload; an unreadable file is one error on row 1."""
    try:
        rows = iter_table(data, filename, ASN_ALIASES, ["serial"])
    except TableError as exc:
        result = AsnResult(kwargs.get("mode", "all"))
        result.errors.append(
            RowError(1, field="file", code=exc.code, message=str(exc), value=filename)
        )
        raise AsnRefused(result)
    try:
        return import_asn_rows(order, rows, **kwargs)
    except TableError as exc:  # a malformed row further down the file
        result = AsnResult(kwargs.get("mode", "all"))
        result.errors.append(
            RowError(1, field="file", code=exc.code, message=str(exc), value=filename)
        )
        raise AsnRefused(result)


def clear_asn(order: PurchaseOrder) -> int:
    """Remove the serials not received yet (e.g. the supplier sent a corrected list)."""
    with transaction.atomic():
        order = PurchaseOrder.objects.select_for_update().get(pk=order.pk)
        if order.status not in ASN_EDITABLE:
            raise ValidationError(
                {
                    "status": [
                        _("The serial list of a %(status)s order cannot change.")
                        % {"status": order.get_status_display()}
                    ]
                }
            )
        pending = ExpectedSerial.objects.filter(order=order, receipt__isnull=True)
        counts = dict(pending.values("line_id").annotate(n=Count("id")).values_list("line_id", "n"))
        deleted, _detail = pending.delete()
        for line_id, n in counts.items():
            PurchaseOrderLine.objects.filter(pk=line_id).update(asn_quantity=F("asn_quantity") - n)
    return deleted
