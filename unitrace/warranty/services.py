"""Warranty entitlement of a unit, by its SKU's rule (months from shipment, sale...).

Every warranty rule lives here, including what an exchange does: a replacement unit
keeps the warranty start of the unit it replaced unless its SKU's exchange rule says
the warranty restarts. Which unit a replacement replaced is read from the ledger (the
replacement's event names it in ``UnitEvent.replaces``), never from a sales or service
document, so this module needs only the catalog and the serials ledger.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django.utils.translation import gettext as _

from unitrace.catalog.models import WarrantyStart
from unitrace.core.display import shown_date
from unitrace.serials.models import UnitEvent
from unitrace.warranty.models import ExchangeWarrantyRule

BASIS_FIELD = {
    WarrantyStart.SHIPMENT: "shipped_at",
    WarrantyStart.SALE: "sold_at",
    WarrantyStart.ACTIVATION: "activated_at",
    WarrantyStart.INSTALLATION: "installed_at",
}


def carries_over(sku) -> bool:
    """The SKU's exchange rule: does a replacement keep the old unit's warranty?

    Without a rule the warranty carries over.
    """
    mode = ExchangeWarrantyRule.objects.filter(sku=sku).values_list("mode", flat=True).first()
    return mode != ExchangeWarrantyRule.Mode.RESTART


def _replaced(unit_id: int) -> UnitEvent | None:
    """The latest event that made ``unit_id`` the replacement of another unit."""
    return (
        UnitEvent.objects.filter(unit_id=unit_id, replaces__isnull=False)
        .select_related("replaces__sku")
        .order_by("-occurred_at", "-id")
        .first()
    )


def effective_start(unit) -> datetime | None:
    """The warranty start the unit inherits from the unit(s) it replaced, else None.

    Follows the chain of replacements back while each exchange carries the warranty
    over (any number of successive exchanges), keeping the earliest unit's start.
    """
    seen = {unit.pk}
    current_id = unit.pk
    inherited: datetime | None = None
    while True:
        event = _replaced(current_id)
        if event is None or event.replaces_id in seen:
            return inherited
        old = event.replaces
        if not carries_over(old.sku):
            return inherited
        seen.add(old.pk)
        own = getattr(old, BASIS_FIELD[old.sku.warranty_start])
        if own is not None:
            inherited = own
        current_id = old.pk


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
            % {"end": shown_date(end), "rule": rule, "start": shown_date(start)},
        )
    return Warranty(
        "expired",
        basis,
        sku.warranty_months,
        start,
        end,
        _("Expired since %(since)s (%(rule)s, started %(start)s)")
        % {
            "since": shown_date(end + timedelta(days=1)),
            "rule": rule,
            "start": shown_date(start),
        },
    )
