"""Warranty entitlement of a unit, by its SKU's rule (months from shipment, sale...)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django.utils.translation import gettext as _

from unitrace.catalog.models import WarrantyStart
from unitrace.sales.warranty import effective_start

BASIS_FIELD = {
    WarrantyStart.SHIPMENT: "shipped_at",
    WarrantyStart.SALE: "sold_at",
    WarrantyStart.ACTIVATION: "activated_at",
    WarrantyStart.INSTALLATION: "installed_at",
}


@dataclass(frozen=True)
class Warranty:
    state: str  # in_warranty | expired | not_started
    basis: str
    months: int
    start: date | None
    end: date | None
    message: str

    def as_dict(self) -> dict:
        data = asdict(self)
        data["start"] = self.start.isoformat() if self.start else None
        data["end"] = self.end.isoformat() if self.end else None
        return data


def warranty_for(unit, today: date | None = None, *, exchanged: bool = True) -> Warranty:
    """Whether ``unit`` is covered today, until or since when, and by which rule.

    ``exchanged=False`` says the caller knows from the unit's history that it was never
    delivered as a replacement, so there is no inherited start to look up.
    """
    sku = unit.sku
    today = today or timezone.localdate()
    basis = sku.warranty_start
    basis_label = WarrantyStart(basis).label
    # a replacement unit keeps the warranty of the unit it replaced (per SKU rule)
    inherited = effective_start(unit) if exchanged else None
    started_at = inherited or getattr(unit, BASIS_FIELD[basis])
    rule = _("%(months)d months from %(basis)s") % {
        "months": sku.warranty_months,
        "basis": basis_label,
    }
    if started_at is None:
        return Warranty(
            "not_started",
            basis,
            sku.warranty_months,
            None,
            None,
            _("Not started: warranty runs %(rule)s, which has not happened yet") % {"rule": rule},
        )
    start = timezone.localtime(started_at).date()
    end = start + relativedelta(months=sku.warranty_months) - timedelta(days=1)
    if today <= end:
        return Warranty(
            "in_warranty",
            basis,
            sku.warranty_months,
            start,
            end,
            _("In warranty until %(end)s (%(rule)s, started %(start)s)")
            % {"end": end.isoformat(), "rule": rule, "start": start.isoformat()},
        )
    return Warranty(
        "expired",
        basis,
        sku.warranty_months,
        start,
        end,
        _("Expired since %(since)s (%(rule)s, started %(start)s)")
        % {
            "since": (end + timedelta(days=1)).isoformat(),
            "rule": rule,
            "start": start.isoformat(),
        },
    )
