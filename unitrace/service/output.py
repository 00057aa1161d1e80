"""Returns and exchanges as plain dicts: the API's bodies and the pages' context share them."""

from __future__ import annotations

from django.utils import timezone

from unitrace.sales.selectors import party_dict
from unitrace.service.models import RMA, Exchange


def _time(value) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def rma_dict(rma: RMA, user, *, detail: bool = False) -> dict:
    data = {
        "id": rma.pk,
        "number": rma.number,
        "kind": rma.kind,
        "status": rma.status,
        "holder": party_dict(rma.holder, user),
        "warehouse": rma.warehouse.code,
        "reason": rma.reason,
        "received_at": _time(rma.received_at),
    }
    if detail:
        data["lines"] = [
            {
                "id": line.pk,
                "serial": line.unit.serial,
                "sku": line.unit.sku.code,
                "status": line.unit.status,
                "result": line.result,
                "result_label": line.get_result_display(),
                "inspected_at": _time(line.inspected_at),
                "notes": line.notes,
            }
            for line in rma.lines.select_related("unit__sku")
        ]
    return data


def exchange_dict(exchange: Exchange, user) -> dict:
    return {
        "id": exchange.pk,
        "old_serial": exchange.old_unit.serial,
        "new_serial": exchange.new_unit.serial,
        "sku": exchange.new_unit.sku.code,
        "rma": exchange.rma.number,
        "holder": party_dict(exchange.holder, user),
        "carry_over": exchange.carry_over,
        "exchanged_at": _time(exchange.exchanged_at),
    }
