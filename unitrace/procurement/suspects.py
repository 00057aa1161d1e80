"""Deciding on suspected counterfeits: units received that the supplier never listed.

They wait in quarantine until a person decides:

- **accept**: the unit is genuine after all (e.g. the supplier forgot it on the list):
  ``ledger.release`` puts it in stock and it now counts as received against its order
  line. A line that already has all its ordered units takes no more: such a unit can
  only be rejected (it is one the supplier did not owe).
- **reject**: ``ledger.block``. We block rather than scrap or ship back because the unit
  is the evidence for a claim against the supplier: blocked, it stays counted in our
  warehouse, cannot be shipped or sold (the ledger refuses), and a later decision can
  still release it (the supplier proves it genuine) or scrap it (destroyed in front of
  the supplier). It never counted as received against the order line (suspects don't),
  so the supplier still owes a genuine unit.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from unitrace.procurement.models import PurchaseOrderLine, SuspectUnit
from unitrace.procurement.orders import refresh_received_status
from unitrace.procurement.receipts import REF_TYPE
from unitrace.serials import ledger

D = SuspectUnit.Decision
DECISIONS = (D.ACCEPTED, D.REJECTED)


def decide(suspect: SuspectUnit, decision: str, *, user=None, notes: str = "") -> SuspectUnit:
    """Record the decision and move the unit out of quarantine accordingly."""
    if decision not in DECISIONS:
        raise ValidationError(
            {"decision": [_("Choose %(a)s or %(r)s.") % {"a": D.ACCEPTED, "r": D.REJECTED}]}
        )
    notes = notes.strip()
    if decision == D.REJECTED and not notes:
        raise ValidationError({"notes": [_("Say why the unit is rejected.")]})
    with transaction.atomic():
        suspect = (
            SuspectUnit.objects.select_for_update()
            .select_related("order", "receipt", "unit")
            .get(pk=suspect.pk)
        )
        if suspect.decision != D.PENDING:
            raise ValidationError(
                {
                    "decision": [
                        _("This unit was already decided: %(d)s.")
                        % {"d": suspect.get_decision_display()}
                    ]
                }
            )
        common = {
            "ref_type": REF_TYPE,
            "ref_id": suspect.order.number,
            "details": {"receipt": suspect.receipt.number, "suspect": suspect.pk},
        }
        if decision == D.ACCEPTED:
            line = PurchaseOrderLine.objects.select_for_update().get(pk=suspect.line_id)
            if line.received_quantity >= line.quantity:
                raise ValidationError(
                    {
                        "decision": [
                            _(
                                "All %(n)d ordered units of this line are already received: "
                                "this unit was not owed, so it cannot be accepted onto the "
                                "order. Reject it instead."
                            )
                            % {"n": line.quantity}
                        ]
                    }
                )
            text = _("accepted as genuine after being received off the supplier's list")
            ledger.release(suspect.unit_id, notes=f"{text}: {notes}" if notes else text, **common)
            PurchaseOrderLine.objects.filter(pk=line.pk).update(
                received_quantity=F("received_quantity") + 1
            )
        else:
            text = _("rejected as a suspected counterfeit")
            ledger.block(suspect.unit_id, notes=f"{text}: {notes}", **common)
        suspect.decision = decision
        suspect.decided_by = user if user is not None and user.is_authenticated else None
        suspect.decided_at = timezone.now()
        suspect.decision_notes = notes
        suspect.save(update_fields=["decision", "decided_by", "decided_at", "decision_notes"])
        if decision == D.ACCEPTED:
            refresh_received_status(suspect.order_id)
    return suspect
