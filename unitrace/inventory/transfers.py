"""Transfers between warehouses: draft → in transit → (partially) received.

Dispatch posts ``transfer_out`` for every unit at once (all or nothing); the other end
scans units in one by one (``transfer_in``), refusing units that are not on the
transfer; closing the receipt reports the units that never came as missing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from unitrace.core.audit import log_change, snapshot
from unitrace.core.display import shown_date
from unitrace.core.models import ChangeLog
from unitrace.core.numbering import create_numbered
from unitrace.inventory.errors import InventoryError, ledger_rows, row
from unitrace.inventory.models import Transfer, TransferLine
from unitrace.parties.masking import party_name
from unitrace.places.models import Bin, Warehouse
from unitrace.serials import ledger
from unitrace.serials.ledger import EventData, LedgerError
from unitrace.serials.models import Unit, UnitEvent
from unitrace.serials.statuses import IN_FIELD_GROUP, EventType, Status, refusal

REF_TYPE = "transfer"
OPEN = [Transfer.Status.DRAFT, Transfer.Status.IN_TRANSIT, Transfer.Status.PARTIALLY_RECEIVED]


def _user(user):
    return user if user is not None and user.is_authenticated else None


def _number_taken(number: str) -> InventoryError:
    return InventoryError(
        _("number %(number)s is already used") % {"number": number}, code="duplicate_number"
    )


def _locked(transfer: Transfer) -> Transfer:
    return (
        Transfer.objects.select_for_update()
        .select_related("from_warehouse", "to_warehouse")
        .get(pk=transfer.pk)
    )


def create_transfer(
    from_warehouse: Warehouse,
    to_warehouse: Warehouse,
    *,
    user=None,
    number: str = "",
    notes: str = "",
    units: Sequence[Unit] = (),
) -> Transfer:
    """A draft transfer, optionally with its units (all accepted or none)."""
    if from_warehouse.pk == to_warehouse.pk:
        raise InventoryError(_("a transfer needs two different warehouses"), code="same_warehouse")
    for warehouse in (from_warehouse, to_warehouse):
        if not warehouse.active:
            raise InventoryError(
                _("warehouse %(code)s is not active") % {"code": warehouse.code},
                code="inactive_warehouse",
            )
    with transaction.atomic():
        transfer = create_numbered(
            Transfer,
            "TR",
            number,
            from_warehouse=from_warehouse,
            to_warehouse=to_warehouse,
            notes=notes,
            created_by=_user(user),
            taken=_number_taken,
        )
        if units:
            add_units(transfer, units)
        log_change(transfer, ChangeLog.Action.CREATE)
    return transfer


def add_units(transfer: Transfer, units: Sequence[Unit], *, user=None) -> int:
    """Put units on a draft; each must be in stock in the source warehouse and free.

    ``user`` only decides how a refusal names a buyer (masked without ``view_pii``).
    """
    with transaction.atomic():
        transfer = _locked(transfer)
        if transfer.status != Transfer.Status.DRAFT:
            raise InventoryError(
                _("transfer %(number)s has been dispatched: units can no longer be added")
                % {"number": transfer.number},
                code="not_draft",
            )
        ids = [u.pk for u in units]
        present = set(
            TransferLine.objects.filter(transfer=transfer, unit_id__in=ids).values_list(
                "unit_id", flat=True
            )
        )
        elsewhere = dict(
            TransferLine.objects.filter(
                unit_id__in=ids,
                transfer__status__in=OPEN,
                transfer__closed_at__isnull=True,  # a closed receipt waits for nothing
                received_at__isnull=True,
            )
            .exclude(transfer=transfer)
            .values_list("unit_id", "transfer__number")
        )
        errors, new = [], []
        seen: set[int] = set()
        gone = _last_moves([u for u in units if u.warehouse_id is None], user)
        for unit in units:
            if unit.pk in present or unit.pk in seen:
                continue
            seen.add(unit.pk)
            problem = _unit_problem(unit, transfer, elsewhere.get(unit.pk), gone.get(unit.pk))
            if problem:
                errors.append(row(unit.serial, *problem))
            else:
                new.append(TransferLine(transfer=transfer, unit=unit))
        if errors:
            raise InventoryError(
                _("%(count)d units cannot go on this transfer; none were added")
                % {"count": len(errors)},
                code="units_refused",
                rows=errors,
            )
        TransferLine.objects.bulk_create(new)
    return len(new)


def _last_moves(units: Sequence[Unit], user) -> dict[int, tuple[str, str]]:
    """unit id -> (code, message): why a unit the ledger places in no warehouse is not here.

    A unit out of every warehouse was sold, shipped, sent on a transfer, reported
    missing or scrapped; the clerk needs to know which, to whom and on which document,
    so the unit's last event that says so is read from the ledger (one query).
    """
    ids = [u.pk for u in units]
    if not ids:
        return {}
    last: dict[int, UnitEvent] = {}
    events = (
        UnitEvent.objects.filter(unit_id__in=ids)
        .exclude(ref_id="", party__isnull=True)
        .select_related("party")
        .order_by("unit_id", "-occurred_at", "-id")
    )
    for event in events.iterator():
        last.setdefault(event.unit_id, event)
    return {u.pk: _whereabouts(u, last.get(u.pk), user) for u in units}


def _whereabouts(unit: Unit, event: UnitEvent | None, user) -> tuple[str, str]:
    status = Status(unit.status).label if unit.status in Status.values else unit.status
    when = shown_date(event.occurred_at if event else None, "?")
    document = event.ref_id if event and event.ref_id else "—"
    party = party_name(event.party, user) if event and event.party_id else ""
    values = {"party": party or "—", "date": when, "document": document}
    if unit.status in IN_FIELD_GROUP:
        message = _("already sold to %(party)s on %(date)s (%(document)s)") % values
        return "already_sold", message
    if unit.status == Status.SHIPPED:
        message = _("already shipped to %(party)s on %(date)s (%(document)s)") % values
        return "already_sold", message
    return (
        f"status_{unit.status}",
        _("the unit is %(status)s since %(date)s (%(document)s): it is in no warehouse")
        % {"status": status, "date": when, "document": document},
    )


def _unit_problem(
    unit: Unit,
    transfer: Transfer,
    other: str | None,
    gone: tuple[str, str] | None = None,
) -> tuple[str, str] | None:
    if other:
        return _("already on transfer %(number)s") % {"number": other}, "on_other_transfer"
    if unit.warehouse_id is None and gone is not None:
        return gone[1], gone[0]
    if unit.warehouse_id != transfer.from_warehouse_id:
        where = unit.warehouse.code if unit.warehouse_id else _("no warehouse")
        return (
            _("the ledger places it in %(where)s, not in %(source)s")
            % {"where": where, "source": transfer.from_warehouse.code},
            "wrong_warehouse",
        )
    reason = refusal(EventType.TRANSFER_OUT, unit.status)
    return (reason, "illegal_transition") if reason else None


def remove_unit(transfer: Transfer, unit: Unit) -> None:
    with transaction.atomic():
        transfer = _locked(transfer)
        if transfer.status != Transfer.Status.DRAFT:
            raise InventoryError(_("only a draft can be changed"), code="not_draft")
        TransferLine.objects.filter(transfer=transfer, unit=unit).delete()


def cancel_transfer(transfer: Transfer) -> Transfer:
    with transaction.atomic():
        transfer = _locked(transfer)
        if transfer.status != Transfer.Status.DRAFT:
            raise InventoryError(_("only a draft can be cancelled"), code="not_draft")
        before = snapshot(transfer)
        transfer.status = Transfer.Status.CANCELLED
        transfer.save(update_fields=["status"])
        log_change(transfer, ChangeLog.Action.CANCEL, before)
    return transfer


def dispatch_transfer(transfer: Transfer, *, user=None) -> Transfer:
    """Every unit leaves at once (``transfer_out``), or none does."""
    with transaction.atomic():
        transfer = _locked(transfer)
        if transfer.status != Transfer.Status.DRAFT:
            raise InventoryError(
                _("transfer %(number)s is %(status)s: only a draft can be dispatched")
                % {"number": transfer.number, "status": transfer.get_status_display()},
                code="not_draft",
            )
        units = list(
            Unit.objects.filter(pk__in=transfer.lines.values("unit_id")).select_related("warehouse")
        )
        if not units:
            raise InventoryError(_("the transfer has no units"), code="empty")
        away = [u for u in units if u.warehouse_id != transfer.from_warehouse_id]
        gone = _last_moves([u for u in away if u.warehouse_id is None], user)
        moved = [row(u.serial, *_unit_problem(u, transfer, None, gone.get(u.pk))) for u in away]
        if moved:
            raise InventoryError(
                _("%(count)d units are no longer in %(source)s; nothing was dispatched")
                % {"count": len(moved), "source": transfer.from_warehouse.code},
                code="units_refused",
                rows=moved,
            )
        data = EventData(
            EventType.TRANSFER_OUT,
            details={"to_warehouse_id": transfer.to_warehouse_id},
            ref_type=REF_TYPE,
            ref_id=transfer.number,
        )
        try:
            ledger.record_many([u.pk for u in units], data)
        except LedgerError as exc:
            raise InventoryError(exc.message, code=exc.code, rows=ledger_rows(exc))
        transfer.status = Transfer.Status.IN_TRANSIT
        transfer.dispatched_at = timezone.now()
        transfer.dispatched_by = _user(user)
        transfer.save(update_fields=["status", "dispatched_at", "dispatched_by"])
    return transfer


@dataclass
class Receipt:
    received: list[Unit]
    already: list[Unit]
    remaining: int
    transfer: Transfer


def _check_receivable(transfer: Transfer, bin: Bin | None) -> None:
    if not transfer.is_open:
        raise InventoryError(
            _("transfer %(number)s is %(status)s: nothing can be received on it")
            % {"number": transfer.number, "status": transfer.get_status_display()}
            if transfer.closed_at is None
            else _("the receipt of transfer %(number)s is closed") % {"number": transfer.number},
            code="not_in_transit",
        )
    if bin is not None and bin.warehouse_id != transfer.to_warehouse_id:
        raise InventoryError(
            _("bin %(bin)s is not in %(warehouse)s")
            % {"bin": bin.code, "warehouse": transfer.to_warehouse.code},
            code="wrong_bin",
        )


def receive_units(
    transfer: Transfer, units: Sequence[Unit], *, user=None, bin: Bin | None = None
) -> Receipt:
    """Scan units in at the destination; units not on the transfer refuse the lot.

    A unit received before is noted, not received twice. One scan or a whole list:
    either every unit is received or none is.
    """
    with transaction.atomic():
        transfer = _locked(transfer)
        _check_receivable(transfer, bin)
        lines = {
            line.unit_id: line
            for line in TransferLine.objects.filter(
                transfer=transfer, unit_id__in=[u.pk for u in units]
            )
        }
        foreign = [
            row(
                u.serial,
                _("not on transfer %(number)s") % {"number": transfer.number},
                "not_on_transfer",
            )
            for u in units
            if u.pk not in lines
        ]
        if foreign:
            raise InventoryError(
                _("%(count)d units are not on transfer %(number)s: set them aside")
                % {"count": len(foreign), "number": transfer.number},
                code="not_on_transfer",
                rows=foreign,
            )
        fresh, already, seen = [], [], set()
        for unit in units:
            if unit.pk in seen:
                continue
            seen.add(unit.pk)
            (already if lines[unit.pk].received_at else fresh).append(unit)
        if fresh:
            _post_receipt(transfer, fresh, user, bin)
        remaining = TransferLine.objects.filter(transfer=transfer, received_at__isnull=True).count()
        transfer.status = (
            Transfer.Status.RECEIVED if remaining == 0 else Transfer.Status.PARTIALLY_RECEIVED
        )
        transfer.save(update_fields=["status"])
    return Receipt(fresh, already, remaining, transfer)


def _post_receipt(transfer: Transfer, units: list[Unit], user, bin: Bin | None) -> None:
    data = EventData(
        EventType.TRANSFER_IN,
        warehouse=transfer.to_warehouse,
        bin=bin,
        ref_type=REF_TYPE,
        ref_id=transfer.number,
    )
    try:
        if len(units) == 1:
            ledger.record(units[0], data)
        else:
            ledger.record_many([u.pk for u in units], data)
    except LedgerError as exc:
        raise InventoryError(exc.message, code=exc.code, rows=ledger_rows(exc))
    TransferLine.objects.filter(transfer=transfer, unit_id__in=[u.pk for u in units]).update(
        received_at=timezone.now(), received_by=_user(user), received_bin=bin
    )


def close_receipt(transfer: Transfer, *, reason: str, user=None) -> list[Unit]:
    """Stop waiting: units still not received are reported missing, with the reason."""
    with transaction.atomic():
        transfer = _locked(transfer)
        _check_receivable(transfer, None)
        missing = list(
            Unit.objects.filter(
                pk__in=TransferLine.objects.filter(
                    transfer=transfer, received_at__isnull=True
                ).values("unit_id")
            ).order_by("serial")
        )
        if missing and not reason.strip():
            raise InventoryError(
                _("give a reason for the %(count)d units that did not arrive")
                % {"count": len(missing)},
                code="reason_required",
            )
        if missing:
            data = EventData(
                EventType.MISSING, notes=reason.strip(), ref_type=REF_TYPE, ref_id=transfer.number
            )
            try:
                ledger.record_many([u.pk for u in missing], data)
            except LedgerError as exc:
                raise InventoryError(exc.message, code=exc.code, rows=ledger_rows(exc))
        transfer.closed_at = timezone.now()
        transfer.closing_reason = reason.strip()
        transfer.save(update_fields=["closed_at", "closing_reason"])
    return missing
