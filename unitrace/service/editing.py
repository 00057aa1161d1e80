"""Changes to a work order that are not steps of its state: who it is given to (a
service partner), the fault code corrected at diagnosis, and the mail-in shipments.

Each change locks the order's row (like ``workorders.transition``), is checked here
rather than in a view, and is written to the change log with what it was before.
Assigning an engineer *is* a step (``assign`` in the transition table) and goes through
``workorders.transition``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from unitrace.core.audit import log_change, snapshot
from unitrace.core.models import ChangeLog
from unitrace.parties.models import Party
from unitrace.service.models import FaultCode, WorkOrder
from unitrace.service.states import OPEN_STATES, Mode
from unitrace.service.workorders import WorkOrderRefused

SHIPPING_FIELDS = {
    "courier_in": 40,
    "tracking_in": 60,
    "courier_out": 40,
    "tracking_out": 60,
}


def _locked(work_order: WorkOrder | int) -> WorkOrder:
    pk = work_order.pk if isinstance(work_order, WorkOrder) else work_order
    return WorkOrder.objects.select_for_update().get(pk=pk)


def _still_open(locked: WorkOrder) -> None:
    if locked.state not in OPEN_STATES:
        raise WorkOrderRefused(
            _("%(number)s is %(state)s: it can no longer be changed.")
            % {"number": locked.number, "state": locked.get_state_display()},
            code="work_order_finished",
        )


def _save(locked: WorkOrder, before: dict, fields: set[str]) -> WorkOrder:
    locked.save(update_fields=sorted(fields | {"updated_at"}))
    log_change(locked, ChangeLog.Action.UPDATE, before=before, after=snapshot(locked))
    return locked


def set_partner(work_order: WorkOrder | int, partner: Party | None) -> WorkOrder:
    """Give the order to a service partner (its logins then see it), or take it back."""
    if partner is not None and (partner.kind != Party.Kind.SERVICE_PARTNER or not partner.active):
        raise ValidationError(
            {"partner": _("%(code)s is not an active service partner.") % {"code": partner.code}}
        )
    with transaction.atomic():
        locked = _locked(work_order)
        _still_open(locked)
        before = snapshot(locked)
        locked.partner = partner
        return _save(locked, before, {"partner"})


def correct_fault(work_order: WorkOrder | int, fault_code: FaultCode) -> WorkOrder:
    """The fault as diagnosed; the fault reported at intake is kept as it was."""
    if not fault_code.active:
        raise ValidationError(
            {
                "fault_code": _("Fault code %(code)s is no longer in use.")
                % {"code": fault_code.code}
            }
        )
    with transaction.atomic():
        locked = _locked(work_order)
        _still_open(locked)
        before = snapshot(locked)
        locked.fault_code = fault_code
        return _save(locked, before, {"fault_code"})


def set_shipping(work_order: WorkOrder | int, **values: str) -> WorkOrder:
    """Courier and tracking number to us and back, for a mail-in (寄修) order only."""
    unknown = set(values) - set(SHIPPING_FIELDS)
    if unknown:
        raise ValueError(f"not shipping fields: {sorted(unknown)}")
    cleaned = {name: (value or "").strip() for name, value in values.items()}
    errors = {
        name: _("Longer than %(n)d characters.") % {"n": SHIPPING_FIELDS[name]}
        for name, value in cleaned.items()
        if len(value) > SHIPPING_FIELDS[name]
    }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked(work_order)
        if locked.mode != Mode.MAIL_IN:
            raise WorkOrderRefused(
                _("Only a mail-in work order has couriers and tracking numbers."),
                code="not_mail_in",
                field="mode",
            )
        before = snapshot(locked)
        for name, value in cleaned.items():
            setattr(locked, name, value)
        return _save(locked, before, set(cleaned))
