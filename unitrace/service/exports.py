"""XLSX/CSV export of the work-order list, with the list's filters, scope and masking.

Large exports run as background jobs (``core.exports``); the job calls ``table`` again
for its owner at job time.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from unitrace.core.errors import DomainError
from unitrace.core.exports import Export, Table, register_export
from unitrace.parties.masking import record_pii_read
from unitrace.service.filters import active_filters, filtered_work_orders
from unitrace.service.models import WorkOrder
from unitrace.service.workorder_output import contact_of, region_name, with_related


class BadFilters(DomainError):
    code = "invalid_filters"


def _local(value):
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def work_order_table(user, params: dict[str, str]) -> Table:
    queryset, form = filtered_work_orders(user, params)
    if form.errors:
        first = next(iter(form.errors.items()))
        raise BadFilters(f"{first[0]}: {first[1][0]}", field=first[0])
    queryset = with_related(queryset)
    count = queryset.count()
    filters = active_filters(params)
    header = [
        _("number"),
        _("type"),
        _("priority"),
        _("service mode"),
        _("channel"),
        _("state"),
        _("opened at"),
        _("serial"),
        _("SKU"),
        _("customer"),
        _("contact name"),
        _("contact phone"),
        _("site address"),
        _("division code"),
        _("region"),
        _("fault code"),
        _("engineer"),
        _("service partner"),
        _("covered at intake"),
        _("flags"),
        _("resolved at"),
        _("closed at"),
    ]

    def rows():
        for wo in queryset.iterator(2000):
            seen = contact_of(wo, user)
            yield [
                wo.number,
                wo.get_kind_display(),
                wo.get_priority_display(),
                wo.get_mode_display(),
                wo.get_channel_display(),
                wo.get_state_display(),
                _local(wo.opened_at),
                wo.unit.serial if wo.unit_id else wo.serial_given,
                wo.unit.sku.code if wo.unit_id else "",
                wo.customer.code if wo.customer_id else "",
                seen["contact_name"],
                seen["contact_phone"],
                seen["address"],
                wo.adcode,
                region_name(wo.adcode),
                wo.fault_code.code if wo.fault_code_id else "",
                wo.assignee.get_username() if wo.assignee_id else "",
                wo.partner.code if wo.partner_id else "",
                {True: _("yes"), False: _("no")}.get(wo.covered, ""),
                wo.flag_count,
                _local(wo.resolved_at),
                _local(wo.closed_at),
            ]

    record_pii_read(user, WorkOrder, rows=count, filters=filters, what="service.export")
    return Table(header, rows(), count, filters=filters)


WORK_ORDER_EXPORT = register_export(
    Export(
        name="work-orders",
        what="service.workorder",
        permission="service.view_workorder",
        stem="work-orders",
        title=lambda: _("Work orders"),
        table=work_order_table,
    )
)
