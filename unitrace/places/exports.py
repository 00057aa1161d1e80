"""XLSX/CSV export of the warehouse list, with its filters and scope."""

from __future__ import annotations

from django.utils.translation import gettext as _

from unitrace.core.exports import Export, Table, register_export
from unitrace.places.selectors import filtered_warehouses


def warehouse_table(user, params: dict[str, str]) -> Table:
    queryset, form = filtered_warehouses(user, params)
    header = [
        _("code"),
        _("name"),
        _("level"),
        _("parent"),
        _("province"),
        _("city"),
        _("bins"),
        _("active"),
    ]
    rows = (
        [
            w.code,
            w.name,
            w.get_level_display(),
            w.parent.code if w.parent else "",
            w.province,
            w.city,
            w.bin_count,
            _("yes") if w.active else _("no"),
        ]
        for w in queryset.iterator(2000)
    )
    return Table(header, rows, queryset.count(), filters=dict(form.data.items()))


WAREHOUSE_EXPORT = register_export(
    Export(
        name="warehouses",
        what="places.warehouse",
        permission="places.view_warehouse",
        stem="warehouses",
        title=lambda: _("Warehouses"),
        table=warehouse_table,
    )
)
