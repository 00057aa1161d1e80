"""Re-parenting warehouses without making a loop, also when two clerks do it at once.

The loop check (``Warehouse.ancestor_codes``) walks from the new parent up to the top.
Alone it is not enough: two opposite re-parentings at the same moment (A under B, B
under A) each read the other's old parent, both pass, and the hierarchy loops. So the
check runs under row locks on the warehouse being moved and on every warehouse of the
new parent's chain, taken in id order (the same order for every writer, so two of them
wait for each other instead of deadlocking). Any two re-parentings that could close a
loop share at least the moved rows of both, so the second one waits, then walks the
chain again and sees the first one's change.
"""

from __future__ import annotations

from django.db import transaction

from unitrace.core.audit import save_with_log
from unitrace.places.models import Warehouse


def _chain_ids(start: int | None) -> set[int]:
    """The ids from ``start`` up to the top (stops at a loop above)."""
    seen: set[int] = set()
    current = start
    while current is not None and current not in seen:
        seen.add(current)
        current = Warehouse.objects.filter(pk=current).values_list("parent_id", flat=True).first()
    return seen


def lock_chain(warehouse: Warehouse) -> None:
    """Lock ``warehouse`` and its new parent's chain (ids in ascending order).

    Call inside a transaction, before the loop check. The chain is read again after
    the locks are granted: a concurrent re-parenting that committed meanwhile may have
    lengthened it, and the rows it added are locked too, until nothing new appears.
    """
    if warehouse.parent_id is None:
        return
    locked: set[int] = set()
    while True:
        wanted = _chain_ids(warehouse.parent_id)
        if warehouse.pk is not None:
            wanted.add(warehouse.pk)
        new = wanted - locked
        if not new:
            return
        list(
            Warehouse.objects.select_for_update()
            .filter(pk__in=new)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        locked |= new


def save_warehouse(warehouse: Warehouse) -> Warehouse:
    """Create or change a warehouse: loop check under locks, validation, change log."""
    with transaction.atomic():
        lock_chain(warehouse)
        return save_with_log(warehouse)
