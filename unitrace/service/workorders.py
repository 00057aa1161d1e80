"""Opening a work order and moving it through its states: the one path for both.

Every channel (the public repair page, the agent console, the API, a return's
inspection) opens a work order through :func:`open_work_order`, and every button,
endpoint and job moves one through :func:`transition`, which locks the order's row,
checks the step against ``states.ACTIONS``, writes a ``WorkOrderTransition`` and records
what the step does to the unit in the serials ledger. Two people pressing buttons on one
order at once are served one after the other; the second is refused if the first made
its step impossible.

What a step does to the unit (``ref_type="WO"``, so the unit's file links the job):

* a repair or recall taken into work (arrived on site, or on the bench for carry-in and
  mail-in) → ``service_in`` (维修中); resolved → ``repaired``;
* an installation resolved → ``installed``; maintenance and inspection → ``serviced``;
* cancelled while the unit is in repair → ``repaired`` marked "not repaired", so a unit
  never stays 维修中 without an open work order that holds it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unitrace.core.audit import log_change
from unitrace.core.errors import DomainError
from unitrace.core.models import ChangeLog
from unitrace.core.numbering import assign_number, placeholder
from unitrace.geo import divisions
from unitrace.geo.distance import CoordinateError, point_for
from unitrace.geo.fields import coordinate
from unitrace.geo.resolve import resolve_address
from unitrace.parties.models import phone_validator
from unitrace.serials import ledger
from unitrace.serials.models import Unit
from unitrace.serials.statuses import EventType, Status
from unitrace.serials.statuses import refusal as ledger_refusal
from unitrace.service import flags as intake_flags
from unitrace.service.models import FaultCode, ServiceClass, WorkOrder, WorkOrderTransition
from unitrace.service.sla import clocks as sla_clocks
from unitrace.service.states import (
    ACTIONS,
    OPEN_STATES,
    PAUSED_STATES,
    Channel,
    Kind,
    Mode,
    Priority,
    State,
    refusal,
)

NUMBER_PREFIX = "WO"


class WorkOrderRefused(DomainError):
    """A work-order step the rules do not allow; nothing was written."""

    code = "work_order_refused"
    status = 409
    default_message = gettext_lazy("The work order cannot take this step.")


class DuplicateWorkOrder(WorkOrderRefused):
    """The unit already has an open work order; the caller must say a second one is meant."""

    code = "duplicate_open_work_order"

    def __init__(self, existing: list[WorkOrder]):
        self.existing = existing
        super().__init__(
            _("%(serial)s already has an open work order: %(numbers)s")
            % {
                "serial": existing[0].unit.serial if existing[0].unit else "",
                "numbers": ", ".join(w.number for w in existing),
            },
            field="unit",
        )

    def meta(self) -> dict:
        return {"open_work_orders": [w.number for w in self.existing]}


def reopen_days() -> int:
    """How long after closing a work order may be reopened (a repeat visit)."""
    return int(getattr(settings, "UNITRACE_REOPEN_DAYS", 30))


@dataclass
class Intake:
    """What a channel knows when a repair comes in; the service checks all of it."""

    contact_name: str
    contact_phone: str
    kind: str = Kind.REPAIR
    priority: str = Priority.NORMAL
    mode: str = Mode.ON_SITE
    unit: Unit | None = None
    serial_given: str = ""
    customer: object | None = None
    address: str = ""
    # a division the caller already knows (a picker, an integration); else the service
    # resolves ``address``. Optional exact GPS coordinates override the centroid.
    adcode: str = ""
    latitude: object | None = None
    longitude: object | None = None
    window_start: datetime | None = None
    window_end: datetime | None = None
    fault_code: FaultCode | None = None
    description: str = ""
    notes: str = ""
    courier_in: str = ""
    tracking_in: str = ""
    rma: object | None = None
    # the customer's contract class, for the SLA policy (contracts will set it)
    service_class: str = ""
    label_verified: bool | None = None  # the public page read the label's secret code
    extra_flags: list[tuple[str, str, dict]] = field(default_factory=list)


def _clean(data: Intake, channel: str) -> dict[str, str]:
    """Every field's problem at once, in the one ValidationError shape.

    A depot repair opened by a return's inspection may have no contact yet (the unit is
    on the bench; the holder is on the return); every other channel needs one.
    """
    errors: dict[str, str] = {}
    needs_contact = channel != Channel.RMA
    name = (data.contact_name or "").strip()
    if not name and needs_contact:
        errors["contact_name"] = _("Give the name of the person to contact.")
    elif len(name) > 100:
        errors["contact_name"] = _("The contact name is longer than 100 characters.")
    phone = (data.contact_phone or "").strip()
    if not phone:
        if needs_contact:
            errors["contact_phone"] = _("Give a phone number to reach the customer.")
    else:
        try:
            phone_validator(phone)
        except ValidationError as exc:
            errors["contact_phone"] = str(exc.messages[0])
    for name_, choices in (
        ("kind", Kind.values),
        ("priority", Priority.values),
        ("mode", Mode.values),
    ):
        if getattr(data, name_) not in choices:
            errors[name_] = _("'%(value)s' is not one of %(choices)s") % {
                "value": getattr(data, name_),
                "choices": ", ".join(choices),
            }
    if data.service_class and data.service_class not in ServiceClass.values:
        errors["service_class"] = _("'%(value)s' is not one of %(choices)s") % {
            "value": data.service_class,
            "choices": ", ".join(ServiceClass.values),
        }
    if data.mode == Mode.ON_SITE and not (data.address or "").strip():
        errors["address"] = _("An on-site job needs the address to go to.")
    if len(data.address or "") > 300:
        errors["address"] = _("The address is longer than 300 characters.")
    if len(data.description or "") > 4000:
        errors["description"] = _("The fault description is longer than 4,000 characters.")
    if data.window_start and data.window_end and data.window_end <= data.window_start:
        errors["window_end"] = _("The preferred time window must end after it starts.")
    if data.fault_code is not None and not data.fault_code.active:
        errors["fault_code"] = _("Fault code %(code)s is no longer in use.") % {
            "code": data.fault_code.code
        }
    if data.unit is None and not (data.serial_given or "").strip() and data.kind != Kind.REPAIR:
        errors["unit"] = _("Name the unit this job is for.")
    return errors


def field_problems(data: Intake, channel: str) -> dict[str, str]:
    """The problems ``open_work_order`` would refuse ``data`` for, without writing: a
    form shows them together with its own, so a customer fixes everything at once."""
    return _clean(data, channel)


def _locate(work_order: WorkOrder, data: Intake) -> None:
    """The site's division and point: the address resolved through ``geo``, or the
    division the caller picked when the text says less (or something else); exact
    coordinates (checked) override the centroid. An address that does not resolve is
    kept as typed and flagged at intake."""
    resolution = resolve_address(work_order.address)
    work_order.apply_resolution(resolution, has_address=bool(work_order.address))
    if data.adcode:
        picked = divisions.get(data.adcode)
        if picked is None:
            raise ValidationError(
                {"adcode": _("'%(code)s' is not a division code.") % {"code": data.adcode}}
            )
        if not (resolution.resolved and picked.contains(resolution.adcode)):
            work_order.adcode = picked.code
            work_order.latitude = coordinate(picked.latitude)
            work_order.longitude = coordinate(picked.longitude)
            work_order.address_resolved, work_order.address_issue = True, ""
    if data.latitude not in (None, "") or data.longitude not in (None, ""):
        try:
            point = point_for(work_order.adcode, data.latitude, data.longitude)
        except CoordinateError as refused:
            raise ValidationError({refused.field or "latitude": str(refused)}) from None
        work_order.set_exact_point(point.latitude, point.longitude)


def open_duplicates(unit: Unit) -> list[WorkOrder]:
    """The unit's open work orders, newest first: what an agent sees before a second."""
    return list(
        WorkOrder.objects.filter(unit=unit, state__in=OPEN_STATES)
        .select_related("unit")
        .order_by("-opened_at", "-id")
    )


def open_work_order(
    data: Intake,
    *,
    channel: str,
    user=None,
    when: datetime | None = None,
    allow_duplicate: bool = False,
) -> WorkOrder:
    """Open a work order from ``data``: validated, entitlement and flags computed.

    Refused with every field's problem at once (``ValidationError``), or with
    ``DuplicateWorkOrder`` when the unit already has an open one and the caller did not
    say a second one is meant. Flags never refuse: they are recorded for a person.
    """
    if channel not in Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    errors = _clean(data, channel)
    if errors:
        raise ValidationError(errors)
    when = when or timezone.now()
    actor = user if user is not None and user.is_authenticated else None
    with transaction.atomic():
        unit = data.unit
        if unit is not None:
            # one intake per unit at a time: the duplicate check holds under the lock,
            # which covers the unit's row only (not its SKU, shared by thousands)
            unit = (
                Unit.objects.select_for_update(of=("self",)).select_related("sku").get(pk=unit.pk)
            )
            if not allow_duplicate:
                existing = open_duplicates(unit)
                if existing:
                    raise DuplicateWorkOrder(existing)
        entitlement = intake_flags.entitlement(unit, when)
        work_order = WorkOrder(
            number=placeholder(),
            kind=data.kind,
            priority=data.priority,
            mode=data.mode,
            channel=channel,
            state=State.NEW,
            unit=unit,
            serial_given=(data.serial_given or "").strip()[:100],
            customer=data.customer or (unit.holder if unit is not None else None),
            contact_name=data.contact_name.strip(),
            contact_phone=data.contact_phone.strip(),
            address=(data.address or "").strip(),
            window_start=data.window_start,
            window_end=data.window_end,
            reported_fault=data.fault_code,
            fault_code=data.fault_code,
            description=(data.description or "").strip(),
            notes=(data.notes or "").strip(),
            courier_in=data.courier_in.strip(),
            tracking_in=data.tracking_in.strip(),
            rma=data.rma,
            service_class=data.service_class or "",
            entitlement=entitlement,
            covered=entitlement.get("covered"),
            opened_at=when,
            created_by=actor,
        )
        _locate(work_order, data)
        work_order.save()
        assign_number(work_order, NUMBER_PREFIX, timezone.localdate(when))
        WorkOrderTransition.objects.create(
            work_order=work_order,
            action="open",
            from_state="",
            to_state=State.NEW,
            at=when,
            actor=actor,
            details={"channel": channel},
        )
        sla_clocks.start(work_order, when)
        raised = intake_flags.raise_flags(work_order, data, when)
        if raised:
            work_order.flag_count = raised
            work_order.save(update_fields=["flag_count"])
        log_change(work_order, ChangeLog.Action.CREATE)
    return work_order


def _may_reopen(work_order: WorkOrder, when: datetime) -> str | None:
    """A closed order reopens only within ``reopen_days`` (later, it is a new job)."""
    closed_at = work_order.closed_at
    late = closed_at is not None and when - closed_at > timedelta(days=reopen_days())
    if work_order.state != State.CLOSED or not late:
        return None
    return _("closed more than %(days)d days ago: open a new work order instead") % {
        "days": reopen_days()
    }


def transition(
    work_order: WorkOrder | int,
    action: str,
    *,
    user=None,
    when: datetime | None = None,
    reason: str = "",
    assignee=None,
    resolution: str = "",
    fault_code: FaultCode | None = None,
    details: dict | None = None,
) -> WorkOrder:
    """Take ``action`` on the work order, under its row lock; refused with the reason.

    The transition table (``states.ACTIONS``) says where the action may start from and
    what it needs; this function adds what needs the database: the reopen window, the
    assignee's being active, and the unit's ledger step.
    """
    when = when or timezone.now()
    reason = (reason or "").strip()
    actor = user if user is not None and user.is_authenticated else None
    spec = ACTIONS.get(action)
    pk = work_order.pk if isinstance(work_order, WorkOrder) else work_order
    with transaction.atomic():
        locked = WorkOrder.objects.select_for_update().get(pk=pk)
        why = refusal(action, locked.state)
        if why is None and action == "reopen":
            why = _may_reopen(locked, when)
        if why is not None:
            raise WorkOrderRefused(why, code="illegal_transition", field="action")
        if spec.needs_reason and not reason:
            raise ValidationError({"reason": _("Say why (%(action)s).") % {"action": spec.label}})
        if len(reason) > 300:
            raise ValidationError({"reason": _("The reason is longer than 300 characters.")})
        if spec.needs_assignee:
            if assignee is None:
                raise ValidationError({"assignee": _("Choose the engineer to assign.")})
            if not assignee.is_active:
                raise ValidationError(
                    {
                        "assignee": _("%(user)s cannot be assigned: the login is inactive.")
                        % {"user": assignee.get_username()}
                    }
                )
        if fault_code is not None and not fault_code.active:
            raise ValidationError(
                {
                    "fault_code": _("Fault code %(code)s is no longer in use.")
                    % {"code": fault_code.code}
                }
            )
        source = locked.state
        target = spec.target
        update = {"state"}
        if target is None:  # resume: back where the order paused
            target = locked.resume_state or State.NEW
            locked.resume_state = ""
            update.add("resume_state")
        elif target in PAUSED_STATES and source not in PAUSED_STATES:
            locked.resume_state = source
            update.add("resume_state")
        step = {"action": action}
        if spec.needs_assignee:
            step["from_assignee"] = locked.assignee_id
            step["to_assignee"] = assignee.pk
            locked.assignee = assignee
            update.add("assignee")
            if locked.assigned_at is None:
                locked.assigned_at = when
                update.add("assigned_at")
        if action == "reject":
            step["from_assignee"] = locked.assignee_id
            locked.assignee = None
            update.add("assignee")
        if action == "accept" and locked.accepted_at is None:
            locked.accepted_at = when
            update.add("accepted_at")
        if action == "arrive" and locked.arrived_at is None:
            locked.arrived_at = when
            update.add("arrived_at")
        if fault_code is not None and fault_code.pk != locked.fault_code_id:
            step["fault_code"] = {"from": locked.fault_code_id, "to": fault_code.pk}
            locked.fault_code = fault_code
            update.add("fault_code")
        if action == "resolve":
            locked.resolved_at = when
            locked.resolution = (resolution or reason)[:4000]
            update |= {"resolved_at", "resolution"}
        if action == "close":
            locked.closed_at = when
            update.add("closed_at")
        if action == "cancel":
            locked.cancel_reason = reason
            update.add("cancel_reason")
        if action == "reopen":
            locked.reopen_count += 1
            locked.resolved_at = None
            locked.closed_at = None
            update |= {"reopen_count", "resolved_at", "closed_at"}
        _ledger_step(locked, action, when, reason)
        update |= sla_clocks.follow(locked, action, target, when)
        locked.state = target
        locked.save(update_fields=sorted(update | {"updated_at"}))
        WorkOrderTransition.objects.create(
            work_order=locked,
            action=action,
            from_state=source,
            to_state=target,
            at=when,
            actor=actor,
            reason=reason,
            details={**step, **(details or {})},
        )
    return locked


def _in_repair(unit: Unit) -> bool:
    return unit.status == Status.IN_SERVICE


def _ledger_step(work_order: WorkOrder, action: str, when: datetime, reason: str) -> None:
    """What ``action`` does to the work order's unit, through the ledger (module doc)."""
    if work_order.unit_id is None:
        return
    unit = Unit.objects.select_for_update().get(pk=work_order.unit_id)
    ref = {"when": when, "ref_type": "WO", "ref_id": work_order.number}
    kind = work_order.kind
    repair_kinds = {Kind.REPAIR, Kind.RECALL}

    def record(event_type: str, call, **kw) -> None:
        why = ledger_refusal(event_type, unit.status)
        if why is not None:
            raise WorkOrderRefused(
                _("%(serial)s: %(why)s") % {"serial": unit.serial, "why": why},
                code="ledger_refused",
                field="unit",
            )
        call(unit, **ref, **kw)

    if action == "arrive" and kind in repair_kinds and not _in_repair(unit):
        record(EventType.SERVICE_IN, ledger.service_in)
    elif action == "resolve":
        if kind in repair_kinds:
            if not _in_repair(unit):
                record(EventType.SERVICE_IN, ledger.service_in)
            record(EventType.REPAIRED, ledger.repair, notes=work_order.resolution[:200])
        elif kind == Kind.INSTALLATION:
            record(EventType.INSTALLED, ledger.install)
        elif kind in (Kind.MAINTENANCE, Kind.INSPECTION):
            record(EventType.SERVICED, ledger.service)
    elif action == "cancel" and _in_repair(unit) and kind in repair_kinds:
        record(
            EventType.REPAIRED,
            ledger.repair,
            notes=(_("not repaired: %(reason)s") % {"reason": reason})[:200],
            details={"outcome": "not_repaired"},
        )
