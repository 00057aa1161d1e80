"""Walk the ledger's chains (one per unit, ``serials.chain``) and find the first break."""

from __future__ import annotations

from unitrace.core.chain import GENESIS, Break, seal
from unitrace.serials.chain import EVENT_FIELDS, payload
from unitrace.serials.models import Unit, UnitEvent

STREAM = "unit events"


def verify_ledger(*, counter=None) -> Break | None:
    """The first event whose hash does not match, or the first unit whose chain is short.

    Units and their events are walked side by side in id order (two streaming queries):
    an edited event fails its own hash, an inserted one too (no key, no valid hash), a
    deleted one makes the next event's hash fail, and events cut off the end of a unit's
    chain leave fewer events than the unit has counted (``Unit.event_count``).
    """
    units = Unit.objects.order_by("id").values_list("id", "serial", "event_count").iterator(5000)
    events = (
        UnitEvent.objects.order_by("unit_id", "id")
        .values_list("id", "chain_hash", *EVENT_FIELDS)
        .iterator(5000)
    )
    unit = next(units, None)
    seen = 0
    prev = GENESIS

    def short(unit) -> Break | None:
        if unit is not None and seen != unit[2]:
            return Break(
                STREAM,
                None,
                f"unit {unit[1]} (#{unit[0]}) has {seen} events, it counted {unit[2]}",
            )
        return None

    for values in events:
        pk, stored, unit_id = values[0], values[1], values[2]
        while unit is not None and unit[0] < unit_id:
            if problem := short(unit):
                return problem
            unit, seen, prev = next(units, None), 0, GENESIS
        if stored != seal(prev, payload(values[2:])):
            serial = unit[1] if unit is not None and unit[0] == unit_id else unit_id
            return Break(STREAM, pk, f"event {seen + 1} of unit {serial}: hash does not match")
        prev, seen = stored, seen + 1
        if counter is not None:
            counter()
    while unit is not None:
        if problem := short(unit):
            return problem
        unit, seen = next(units, None), 0
    return None
