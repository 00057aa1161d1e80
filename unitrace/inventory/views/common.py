"""Helpers shared by the inventory pages."""

from __future__ import annotations

from django.utils.translation import gettext as _

from unitrace.inventory.errors import InventoryError
from unitrace.places.models import Bin, Warehouse
from unitrace.serials.statuses import Status


def status_label(value: str) -> str:
    return Status(value).label if value in Status.values else value


def warehouse_by_code(code: str) -> Warehouse | None:
    code = (code or "").strip()
    return Warehouse.objects.filter(code=code, active=True).first() if code else None


def bin_or_error(warehouse: Warehouse, code: str) -> Bin | None:
    code = (code or "").strip()
    if not code:
        return None
    found = Bin.objects.filter(warehouse=warehouse, code=code).first()
    if found is None:
        raise InventoryError(
            _("%(warehouse)s has no bin %(bin)s") % {"warehouse": warehouse.code, "bin": code},
            code="unknown_bin",
        )
    return found


def warehouse_codes():
    return Warehouse.objects.filter(active=True).values_list("code", "name")[:500]
