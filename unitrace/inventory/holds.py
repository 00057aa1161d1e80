"""Quarantine, block and release units, always with a reason (all units or none)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unitrace.inventory.errors import InventoryError, ledger_rows
from unitrace.serials import ledger
from unitrace.serials.ledger import EventData, LedgerError
from unitrace.serials.models import Unit
from unitrace.serials.statuses import EventType

ACTIONS = {
    "quarantine": EventType.QUARANTINED,
    "block": EventType.BLOCKED,
    "release": EventType.RELEASED,
}
ACTION_LABELS = {
    "quarantine": gettext_lazy("Quarantine (hold for inspection)"),
    "block": gettext_lazy("Block (must not be shipped)"),
    "release": gettext_lazy("Release back to stock"),
}


def hold_units(
    action: str, units: Sequence[Unit], *, reason: str, ref_type: str = "", ref_id: str = ""
) -> int:
    """One ledger event per unit; the reason is kept as the event's notes."""
    if action not in ACTIONS:
        raise InventoryError(
            _("unknown action %(action)s") % {"action": action}, code="unknown_action"
        )
    if not reason.strip():
        raise InventoryError(_("give a reason"), code="reason_required")
    if not units:
        raise InventoryError(_("no units given"), code="empty")
    data = EventData(ACTIONS[action], notes=reason.strip(), ref_type=ref_type, ref_id=ref_id)
    try:
        return ledger.record_many(list(dict.fromkeys(u.pk for u in units)), data)
    except LedgerError as exc:
        raise InventoryError(exc.message, code=exc.code, rows=ledger_rows(exc))
