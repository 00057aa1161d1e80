"""What a clerk sees (and hears) after a scan: the outcome and the words for it."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from unitrace.core.display import shown_moment
from unitrace.procurement.matching import Outcome
from unitrace.procurement.models import PurchaseOrder, Receipt
from unitrace.serials.models import UnitEvent
from unitrace.serials.statuses import EventType, refusal

# Outcome -> what the scan component (scanner.js) is told; anything else is "refused".
SCAN_OUTCOME = {
    Outcome.ACCEPTED: "accepted",
    Outcome.SUSPECT: "quarantined",
    Outcome.DUPLICATE: "duplicate",
}


@dataclass
class Feedback:
    """What the clerk sees (and hears) after one scan."""

    outcome: str
    message: str
    serial: str = ""
    sku: str = ""
    unit_id: int | None = None
    line_id: int | None = None
    counts: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.outcome in (Outcome.ACCEPTED, Outcome.SUSPECT)

    @property
    def outcome_label(self) -> str:
        return str(Outcome(self.outcome).label)

    @property
    def scan_outcome(self) -> str:
        """The outcome in the scan component's words (``scanner.js``), which picks the tone:
        accepted, quarantined, duplicate, or refused for every other refusal."""
        return SCAN_OUTCOME.get(self.outcome, "refused")

    def as_dict(self) -> dict:
        return {
            "outcome": str(self.outcome),
            "outcome_label": self.outcome_label,
            "ok": self.ok,
            "message": self.message,
            "serial": self.serial,
            "sku": self.sku,
            "unit": self.unit_id,
            "line": self.line_id,
            "counts": self.counts,
        }


def registered_message(serial: str, sku_code: str) -> str:
    """Serials unique across SKUs (``UNITRACE_SERIAL_GLOBAL_UNIQUE``): taken by another."""
    return _("%(serial)s is already registered (SKU %(sku)s)") % {"serial": serial, "sku": sku_code}


def suspect_reason(order: PurchaseOrder) -> str:
    return _("suspected counterfeit: not on the supplier's serial list of %(order)s") % {
        "order": order.number
    }


def over_message(sku_code: str, quantity: int, serial: str) -> str:
    return _("%(sku)s: all %(n)d ordered units are received; %(serial)s is one too many") % {
        "sku": sku_code,
        "n": quantity,
        "serial": serial,
    }


def duplicate_message(
    receipt: Receipt, unit_id: int | None, serial: str, status: str | None
) -> str:
    """Where the unit was received before, or why the ledger will not receive it."""
    event = None
    if unit_id is not None:
        event = (
            UnitEvent.objects.filter(unit_id=unit_id, type=EventType.RECEIVED)
            .order_by("-occurred_at", "-id")
            .values("ref_type", "details", "occurred_at")
            .first()
        )
    if event is not None:
        when = timezone.localtime(event["occurred_at"])
        number = (event["details"] or {}).get("receipt", "")
        if number == receipt.number:
            return _("%(serial)s was already received in this receipt at %(time)s") % {
                "serial": serial,
                "time": when.strftime("%H:%M:%S"),
            }
        if number:
            return _("%(serial)s was already received on %(date)s (receipt %(receipt)s)") % {
                "serial": serial,
                "date": shown_moment(when),
                "receipt": number,
            }
    if status:
        reason = refusal(EventType.RECEIVED, status)
        if reason:
            return _("%(serial)s cannot be received: %(reason)s") % {
                "serial": serial,
                "reason": reason,
            }
    return _("%(serial)s was already received") % {"serial": serial}


def spelled(scanned: str, serial: str, message: str) -> str:
    """``message``, saying so first when the scan differs from the serial in letter case."""
    if not scanned or not serial or scanned == serial:
        return message
    text = _("%(scanned)s is serial %(serial)s (the register ignores letter case): %(message)s")
    return text % {"scanned": scanned, "serial": serial, "message": message}
