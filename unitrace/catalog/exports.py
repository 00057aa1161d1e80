"""XLSX/CSV exports of the SKU and batch lists, with the lists' filters and scope."""

from __future__ import annotations

from django.utils.translation import gettext as _

from unitrace.catalog.selectors import filtered_batches, filtered_skus
from unitrace.core.exports import Export, Table, register_export


def _yes(value: bool) -> str:
    return _("yes") if value else _("no")


def sku_table(user, params: dict[str, str]) -> Table:
    queryset, form = filtered_skus(user, params)
    header = [
        _("model code"),
        _("name"),
        _("category"),
        _("GTIN"),
        _("serialized"),
        _("serial rule"),
        _("maximum serial length"),
        _("warranty months"),
        _("warranty starts at"),
        _("active"),
    ]
    rows = (
        [
            s.code,
            s.name,
            s.category.name if s.category else "",
            s.gtin or "",
            _yes(s.serialized),
            s.serial_pattern,
            s.serial_max_length,
            s.warranty_months,
            s.get_warranty_start_display(),
            _yes(s.active),
        ]
        for s in queryset.iterator(2000)
    )
    return Table(header, rows, queryset.count(), filters=dict(form.data.items()))


def batch_table(user, params: dict[str, str]) -> Table:
    queryset, form = filtered_batches(user, params)
    header = [
        _("SKU"),
        _("batch number"),
        _("production date"),
        _("factory"),
        _("production line"),
        _("supplier"),
        _("quantity"),
        _("QC status"),
    ]
    rows = (
        [
            b.sku.code,
            b.code,
            b.production_date,
            b.factory,
            b.line,
            b.supplier.code if b.supplier else "",
            b.quantity,
            b.get_qc_status_display(),
        ]
        for b in queryset.iterator(2000)
    )
    return Table(header, rows, queryset.count(), filters=dict(form.data.items()))


SKU_EXPORT = register_export(
    Export(
        name="skus",
        what="catalog.sku",
        permission="catalog.view_sku",
        stem="skus",
        title=lambda: _("SKUs"),
        table=sku_table,
    )
)
BATCH_EXPORT = register_export(
    Export(
        name="batches",
        what="catalog.batch",
        permission="catalog.view_batch",
        stem="batches",
        title=lambda: _("Batches"),
        table=batch_table,
    )
)
