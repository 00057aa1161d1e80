"""Why a unit can't leave stock for a buyer, in words a warehouse clerk acts on."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _

from unitrace.core.display import shown_date
from unitrace.serials.statuses import IN_FIELD_GROUP, EventType, Status, refusal


def stock_problem(
    status: str,
    warehouse_id: int | None,
    sold_at: datetime | None,
    *,
    warehouse=None,
    warehouse_codes: dict[int, str] | None = None,
) -> tuple[str, str] | None:
    """(code, message) when the unit is not deliverable from ``warehouse``; else None.

    Status reasons are the ledger's own (``refusal``); the sales checks add "already
    sold" with its date and "in stock, but at another warehouse".
    """
    if status in IN_FIELD_GROUP:
        when = shown_date(sold_at, "?")
        return "already_sold", _("already delivered / sold on %(date)s") % {"date": when}
    if status != Status.IN_STOCK:
        reason = refusal(EventType.DELIVERED, status) or _(
            "a unit that is %(status)s is not in stock"
        ) % {"status": Status(status).label}
        return f"status_{status}", reason
    if warehouse is not None and warehouse_id != warehouse.pk:
        codes = warehouse_codes or {}
        return "wrong_warehouse", _("in stock at %(actual)s, not at %(warehouse)s") % {
            "actual": codes.get(warehouse_id, "?"),
            "warehouse": warehouse.code,
        }
    return None
