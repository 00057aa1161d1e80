"""Returns and exchanges (退换货): units come back, are inspected, and go where they belong.

Return: ``ledger.return_unit`` into the RMA's warehouse. Inspection: resaleable →
``ledger.receive`` back to stock; repair → ``ledger.service_in`` and a depot-repair
work order that finishes it (``open_depot_repair``); scrap →
``ledger.scrap``. Exchange: the old unit is returned and a new one delivered to the
same holder, linked by ``Exchange``; the replacement's ``delivered`` event names the
unit it replaces (``replaces``), which is what the warranty reads.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from unitrace.core.audit import log_change
from unitrace.core.errors import RowError
from unitrace.core.models import ChangeLog
from unitrace.core.numbering import assign_number, placeholder
from unitrace.parties.models import phone_validator
from unitrace.places.models import Warehouse
from unitrace.sales.scanning import InputRefused
from unitrace.sales.stock_checks import stock_problem
from unitrace.serials import ledger
from unitrace.serials.ledger import LedgerError
from unitrace.serials.models import Unit
from unitrace.serials.statuses import EventType, refusal
from unitrace.service.models import RMA, Exchange, InspectionResult, RMALine
from unitrace.service.states import Channel, Kind, Mode
from unitrace.service.workorders import Intake, open_work_order
from unitrace.warranty.services import carries_over

R = InspectionResult


class ReturnRefused(InputRefused):
    """A return or inspection refused row by row; nothing was recorded."""

    code = "return_refused"


def _user(user):
    return user if user is not None and user.is_authenticated else None


def create_return(
    units: list[Unit],
    warehouse: Warehouse,
    *,
    reason: str,
    results: dict[int, str] | None = None,
    kind: str = RMA.Kind.RETURN,
    when: datetime | None = None,
    user=None,
) -> RMA:
    """Take ``units`` back into ``warehouse``; inspect those with a result right away."""
    if not units:
        raise ReturnRefused(_("List at least one unit to return."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the return.")})
    results = results or {}
    when = when or timezone.now()
    with transaction.atomic():
        locked = {
            u.pk: u
            for u in Unit.objects.select_for_update()
            .filter(pk__in=[u.pk for u in units])
            .order_by("pk")
        }
        errors = []
        for row, unit in enumerate(units, 1):
            why = refusal(EventType.RETURNED, locked[unit.pk].status)
            if why:
                errors.append(
                    RowError(
                        row,
                        field="serial",
                        code="illegal_transition",
                        message=why,
                        value=unit.serial,
                    )
                )
        if errors:
            raise ReturnRefused(_("%(n)d units cannot be returned") % {"n": len(errors)}, errors)
        holders = {locked[u.pk].holder_id for u in units}
        rma = RMA(
            number=placeholder(),
            kind=kind,
            holder_id=holders.pop() if len(holders) == 1 else None,
            warehouse=warehouse,
            reason=reason.strip(),
            received_at=when,
            created_by=_user(user),
        )
        rma.save()
        assign_number(rma, "RMA", timezone.localdate())
        lines = []
        for unit in units:
            holder_id = locked[unit.pk].holder_id
            ledger.return_unit(
                locked[unit.pk],
                warehouse,
                when=when,
                ref_type="RMA",
                ref_id=rma.number,
                notes=reason.strip(),
            )
            lines.append(RMALine.objects.create(rma=rma, unit=locked[unit.pk], holder_id=holder_id))
        log_change(rma, ChangeLog.Action.CREATE)
        chosen = {line.pk: results[line.unit_id] for line in lines if results.get(line.unit_id)}
        chosen = {k: v for k, v in chosen.items() if v != R.PENDING}
        if chosen:
            rma = inspect(rma, chosen, when=when, user=user)
    return rma


def inspect(
    rma: RMA, results: dict[int, str], *, when: datetime | None = None, notes: str = "", user=None
) -> RMA:
    """Record inspection results (RMA line id → result) and move each unit accordingly."""
    when = when or timezone.now()
    with transaction.atomic():
        rma = RMA.objects.select_for_update().get(pk=rma.pk)
        lines = {line.pk: line for line in rma.lines.select_related("unit")}
        errors = []
        for row, (line_id, result) in enumerate(results.items(), 1):
            line = lines.get(line_id)
            if line is None:
                errors.append(
                    RowError(
                        row,
                        field="serial",
                        code="unknown",
                        message=_("not a line of this RMA"),
                        value=str(line_id),
                    )
                )
            elif result not in (R.RESALEABLE, R.REPAIR, R.SCRAP):
                errors.append(
                    RowError(
                        row,
                        field="result",
                        code="invalid",
                        message=_("'%(value)s' is not an inspection result") % {"value": result},
                        value=line.unit.serial,
                    )
                )
            elif line.result != R.PENDING:
                errors.append(
                    RowError(
                        row,
                        field="serial",
                        code="already_inspected",
                        message=_("already inspected: %(result)s")
                        % {"result": line.get_result_display()},
                        value=line.unit.serial,
                    )
                )
        if errors:
            raise ReturnRefused(_("%(n)d inspection results refused") % {"n": len(errors)}, errors)
        ref = {"when": when, "ref_type": "RMA", "ref_id": rma.number, "notes": notes}
        depot: list[Unit] = []
        for line_id, result in results.items():
            line = lines[line_id]
            if result == R.RESALEABLE:
                ledger.receive(line.unit, rma.warehouse, **ref)
            elif result == R.REPAIR:
                ledger.service_in(line.unit, **ref)
                depot.append(line.unit)
            else:
                ledger.scrap(line.unit, **ref)
            line.result, line.inspected_at = result, when
            line.notes = notes[:200]
            line.save(update_fields=["result", "inspected_at", "notes"])
        for unit in depot:
            open_depot_repair(rma, unit, notes=notes, when=when, user=user)
        if not rma.lines.filter(result=R.PENDING).exists():
            rma.status = RMA.Status.CLOSED
            rma.save(update_fields=["status"])
    return rma


def open_depot_repair(rma: RMA, unit: Unit, *, notes: str, when: datetime, user=None):
    """The depot-repair work order of a returned unit inspected as "needs repair".

    The unit is already 维修中 (the inspection's ``service_in``); it leaves that state
    when this work order is resolved (``repaired``) or cancelled. A second job on a unit
    with an open one is meant here: the return is a new fact about it.
    """
    holder = rma.holder
    phone = holder.phone if holder else ""
    try:
        phone_validator(phone)
    except ValidationError:
        phone = ""  # an old record's odd number: the agent asks for one when calling
    data = Intake(
        contact_name=(holder.contact or holder.name)[:100] if holder else "",
        contact_phone=phone,
        kind=Kind.REPAIR,
        mode=Mode.CARRY_IN,
        unit=unit,
        customer=holder,
        description=(notes or rma.reason)[:4000],
        rma=rma,
    )
    return open_work_order(data, channel=Channel.RMA, user=user, when=when, allow_duplicate=True)


def exchange_unit(
    old: Unit,
    new: Unit,
    warehouse: Warehouse,
    *,
    reason: str,
    result: str = R.PENDING,
    when: datetime | None = None,
    user=None,
) -> Exchange:
    """Return ``old`` and deliver ``new`` (same SKU, in stock) to the same holder."""
    when = when or timezone.now()
    with transaction.atomic():
        pair = {u.pk: u for u in Unit.objects.select_for_update().filter(pk__in=[old.pk, new.pk])}
        old_locked, new_locked = pair[old.pk], pair.get(new.pk)
        if new_locked is None or new.pk == old.pk:
            raise LedgerError(_("the replacement must be another unit"), unit=old, code="same_unit")
        if old_locked.holder_id is None:
            raise LedgerError(
                _("has no holder to send a replacement to"), unit=old_locked, code="no_holder"
            )
        if new_locked.sku_id != old_locked.sku_id:
            raise LedgerError(
                _("the replacement must be the same SKU as %(serial)s")
                % {"serial": old_locked.serial},
                unit=new_locked,
                code="wrong_sku",
            )
        problem = stock_problem(new_locked.status, new_locked.warehouse_id, new_locked.sold_at)
        if problem:
            raise LedgerError(problem[1], unit=new_locked, code=problem[0])
        holder = old_locked.holder
        rma = create_return(
            [old_locked],
            warehouse,
            reason=reason,
            kind=RMA.Kind.EXCHANGE,
            when=when,
            user=user,
            results={old_locked.pk: result},
        )
        ledger.deliver(
            new_locked,
            holder,
            when=when,
            ref_type="RMA",
            ref_id=rma.number,
            details={"exchange_for": old_locked.serial},
            replaces=old_locked,
        )
        exchange = Exchange.objects.create(
            old_unit=old_locked,
            new_unit=new_locked,
            rma=rma,
            holder=holder,
            carry_over=carries_over(old_locked.sku),
            exchanged_at=when,
            created_by=_user(user),
        )
        log_change(exchange, ChangeLog.Action.CREATE)
    return exchange
