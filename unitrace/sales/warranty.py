"""Warranty of a replacement unit: carried over from the unit it replaced, or restarted.

``warranty.services.warranty_for`` asks ``effective_start(unit)`` first; a unit that
replaced another under a carry-over rule keeps the original unit's start date, through
any number of successive exchanges.
"""

from __future__ import annotations

from datetime import datetime

from unitrace.catalog.models import WarrantyStart
from unitrace.sales.models import Exchange, ExchangeWarrantyRule

BASIS_FIELD = {
    WarrantyStart.SHIPMENT: "shipped_at",
    WarrantyStart.SALE: "sold_at",
    WarrantyStart.ACTIVATION: "activated_at",
    WarrantyStart.INSTALLATION: "installed_at",
}


def carries_over(sku) -> bool:
    """The SKU's exchange rule; without one the warranty carries over."""
    mode = ExchangeWarrantyRule.objects.filter(sku=sku).values_list("mode", flat=True).first()
    return mode != ExchangeWarrantyRule.Mode.RESTART


def effective_start(unit) -> datetime | None:
    """The warranty start the unit inherits from the unit(s) it replaced, else None."""
    seen = {unit.pk}
    current = unit
    inherited: datetime | None = None
    while True:
        exchange = (
            Exchange.objects.filter(new_unit_id=current.pk)
            .select_related("old_unit__sku")
            .order_by("-exchanged_at", "-id")
            .first()
        )
        if exchange is None or not exchange.carry_over or exchange.old_unit_id in seen:
            return inherited
        old = exchange.old_unit
        seen.add(old.pk)
        own = getattr(old, BASIS_FIELD[old.sku.warranty_start])
        if own is not None:
            inherited = own
        current = old
