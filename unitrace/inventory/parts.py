"""Spare parts by quantity: receive, issue (FEFO), transfer, correct, return.

Every function locks the part's stock rows in one warehouse (or two, for a transfer)
in id order, so concurrent issues queue instead of overselling and never deadlock;
the CHECK constraint (quantity >= 0) is the last line of defence. Each change writes
one ``PartMove`` row per lot touched, in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from unitrace.catalog.models import SKU
from unitrace.core.context import current_actor
from unitrace.inventory.alerts import check_after_commit
from unitrace.inventory.errors import InventoryError
from unitrace.inventory.models import PartMove, PartStock
from unitrace.places.models import Warehouse

Type = PartMove.Type


def is_expired(stock: PartStock, today: date | None = None) -> bool:
    return stock.expiry is not None and stock.expiry < (today or timezone.localdate())


def _fefo_key(stock: PartStock) -> tuple:
    """Earliest expiry first; lots without an expiry date last."""
    return (stock.expiry is None, stock.expiry or date.max, stock.lot, stock.pk)


@dataclass
class Allocation:
    stock: PartStock
    quantity: int


def fefo_plan(lots: list[PartStock], quantity: int, today: date | None = None):
    """Which lots to take ``quantity`` from, earliest expiry first, expired lots skipped.

    Returns (allocations, usable quantity, quantity in expired lots).
    """
    today = today or timezone.localdate()
    plan, usable, expired, left = [], 0, 0, quantity
    for stock in sorted(lots, key=_fefo_key):
        if stock.quantity <= 0:
            continue
        if is_expired(stock, today):
            expired += stock.quantity
            continue
        usable += stock.quantity
        if left > 0:
            take = min(left, stock.quantity)
            plan.append(Allocation(stock, take))
            left -= take
    return plan, usable, expired


def suggest_issue(warehouse: Warehouse, sku: SKU, quantity: int) -> list[Allocation]:
    """The FEFO suggestion a clerk sees before issuing (no locks, nothing written)."""
    lots = list(PartStock.objects.filter(warehouse=warehouse, sku=sku, quantity__gt=0))
    return fefo_plan(lots, quantity)[0]


def _check(sku: SKU, quantity: int, *, signed: bool = False) -> None:
    if sku.serialized:
        raise InventoryError(
            _("%(sku)s is serialized: its units move through the ledger, not by quantity")
            % {"sku": sku.code},
            code="serialized",
        )
    if not isinstance(quantity, int) or (quantity == 0 if signed else quantity <= 0):
        raise InventoryError(
            _("the quantity must be a whole number other than 0")
            if signed
            else _("the quantity must be a whole number above 0"),
            code="bad_quantity",
        )


def _lock(warehouses: list[Warehouse], sku: SKU) -> dict[tuple[int, str], PartStock]:
    rows = PartStock.objects.select_for_update().filter(
        warehouse_id__in=[w.pk for w in warehouses], sku=sku
    )
    return {(s.warehouse_id, s.lot): s for s in rows.order_by("pk")}


def _lot(locked, warehouse: Warehouse, sku: SKU, lot: str, expiry: date | None) -> PartStock:
    """The locked row of this lot, created if new (a concurrent creation is retried)."""
    stock = locked.get((warehouse.pk, lot))
    if stock is None:
        try:
            with transaction.atomic():
                stock = PartStock.objects.create(
                    warehouse=warehouse, sku=sku, lot=lot, expiry=expiry
                )
        except IntegrityError:
            stock = PartStock.objects.select_for_update().get(warehouse=warehouse, sku=sku, lot=lot)
        locked[(warehouse.pk, lot)] = stock
    if expiry is not None and stock.expiry is not None and stock.expiry != expiry:
        raise InventoryError(
            _("lot %(lot)s expires on %(known)s, not on %(given)s")
            % {"lot": lot or "—", "known": stock.expiry, "given": expiry},
            code="expiry_mismatch",
        )
    if expiry is not None and stock.expiry is None:
        stock.expiry = expiry
        PartStock.objects.filter(pk=stock.pk).update(expiry=expiry)
    return stock


def _apply(stock: PartStock, delta: int, kind: str, **move) -> PartMove:
    try:
        with transaction.atomic():
            PartStock.objects.filter(pk=stock.pk).update(
                quantity=F("quantity") + delta, updated_at=timezone.now()
            )
    except IntegrityError:  # the CHECK constraint: never below zero
        raise InventoryError(
            _("not enough stock in lot %(lot)s") % {"lot": stock.lot or "—"}, code="insufficient"
        )
    stock.quantity += delta
    actor = current_actor()
    return PartMove.objects.create(
        type=kind,
        stock=stock,
        warehouse_id=stock.warehouse_id,
        sku_id=stock.sku_id,
        lot=stock.lot,
        quantity=delta,
        balance=stock.quantity,
        occurred_at=timezone.now(),
        user_id=actor.user_id,
        username=actor.username,
        **move,
    )


def receive_parts(
    warehouse: Warehouse,
    sku: SKU,
    quantity: int,
    *,
    lot: str = "",
    expiry: date | None = None,
    reference: str = "",
    reason: str = "",
    kind: str = Type.RECEIVE,
) -> PartMove:
    """Parts come in (from a supplier, or back from an engineer with ``kind=return``)."""
    _check(sku, quantity)
    with transaction.atomic():
        stock = _lot(_lock([warehouse], sku), warehouse, sku, lot.strip(), expiry)
        check_after_commit(warehouse.pk, sku.pk)  # may resolve a low-stock alert
        return _apply(stock, quantity, kind, reference=reference, reason=reason)


def return_parts(warehouse: Warehouse, sku: SKU, quantity: int, **kw) -> PartMove:
    return receive_parts(warehouse, sku, quantity, kind=Type.RETURN, **kw)


def _allocate(locked, warehouse, sku, quantity, lot, force) -> list[Allocation]:
    lots = [s for (w, _l), s in locked.items() if w == warehouse.pk]
    if lot is not None:
        stock = next((s for s in lots if s.lot == lot), None)
        if stock is None:
            raise InventoryError(
                _("%(warehouse)s has no lot %(lot)s of %(sku)s")
                % {"warehouse": warehouse.code, "lot": lot or "—", "sku": sku.code},
                code="unknown_lot",
            )
        if is_expired(stock) and not force:
            raise InventoryError(
                _("lot %(lot)s expired on %(date)s: issue it only on purpose (force)")
                % {"lot": lot or "—", "date": stock.expiry},
                code="expired",
            )
        if stock.quantity < quantity:
            raise InventoryError(
                _("only %(n)d left in lot %(lot)s") % {"n": stock.quantity, "lot": lot or "—"},
                code="insufficient",
            )
        return [Allocation(stock, quantity)]
    plan, usable, expired = fefo_plan(lots, quantity)
    if usable < quantity:
        message = _("only %(n)d usable %(sku)s in %(warehouse)s") % {
            "n": usable,
            "sku": sku.code,
            "warehouse": warehouse.code,
        }
        if expired:
            message += _(" (%(n)d more in expired lots)") % {"n": expired}
        raise InventoryError(message, code="insufficient")
    return plan


def issue_parts(
    warehouse: Warehouse,
    sku: SKU,
    quantity: int,
    *,
    lot: str | None = None,
    force: bool = False,
    reference: str = "",
    reason: str = "",
) -> list[PartMove]:
    """Take parts out: from ``lot``, or earliest expiry first; expired lots need ``force``."""
    _check(sku, quantity)
    with transaction.atomic():
        plan = _allocate(_lock([warehouse], sku), warehouse, sku, quantity, lot, force)
        check_after_commit(warehouse.pk, sku.pk)  # low-stock alert as soon as it commits
        return [
            _apply(
                a.stock,
                -a.quantity,
                Type.ISSUE,
                reference=reference,
                reason=reason,
                forced=is_expired(a.stock),
            )
            for a in plan
        ]


def transfer_parts(
    source: Warehouse,
    target: Warehouse,
    sku: SKU,
    quantity: int,
    *,
    lot: str | None = None,
    force: bool = False,
    reference: str = "",
    reason: str = "",
) -> list[PartMove]:
    """Move parts between warehouses, lot by lot, keeping each lot's expiry date."""
    _check(sku, quantity)
    if source.pk == target.pk:
        raise InventoryError(_("a transfer needs two different warehouses"), code="same_warehouse")
    with transaction.atomic():
        locked = _lock([source, target], sku)
        check_after_commit(source.pk, sku.pk)
        check_after_commit(target.pk, sku.pk)
        moves = []
        for a in _allocate(locked, source, sku, quantity, lot, force):
            common = {"reference": reference, "reason": reason}
            moves.append(
                _apply(
                    a.stock,
                    -a.quantity,
                    Type.TRANSFER,
                    counterpart=target,
                    forced=is_expired(a.stock),
                    **common,
                )
            )
            incoming = _lot(locked, target, sku, a.stock.lot, a.stock.expiry)
            moves.append(_apply(incoming, a.quantity, Type.TRANSFER, counterpart=source, **common))
        return moves


def adjust_parts(
    warehouse: Warehouse,
    sku: SKU,
    delta: int,
    *,
    reason: str,
    lot: str = "",
    expiry: date | None = None,
    reference: str = "",
) -> PartMove:
    """Correct a lot's quantity (after a count, damage…); the reason is required."""
    _check(sku, delta, signed=True)
    if not reason.strip():
        raise InventoryError(_("a correction needs a reason"), code="reason_required")
    with transaction.atomic():
        locked = _lock([warehouse], sku)
        if delta < 0 and (warehouse.pk, lot) not in locked:
            raise InventoryError(
                _("%(warehouse)s has no lot %(lot)s of %(sku)s")
                % {"warehouse": warehouse.code, "lot": lot or "—", "sku": sku.code},
                code="unknown_lot",
            )
        stock = _lot(locked, warehouse, sku, lot, expiry)
        check_after_commit(warehouse.pk, sku.pk)
        if stock.quantity + delta < 0:
            raise InventoryError(
                _("only %(n)d left in lot %(lot)s") % {"n": stock.quantity, "lot": lot or "—"},
                code="insufficient",
            )
        return _apply(stock, delta, Type.ADJUST, reference=reference, reason=reason.strip())
