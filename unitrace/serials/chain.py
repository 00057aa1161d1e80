"""The ledger's hash chain: one stream per unit (see ``unitrace.core.chain``).

Every event of a unit is sealed onto the unit's previous event (by id order), the first
onto ``""``. Each writer computes the hash under the unit's row lock, which the ledger
already holds, in the transaction that appends the event, so two writers can never seal
onto the same predecessor. The payload is the JSON array of ``EVENT_FIELDS``, in this
order; the event's id is not part of it (bulk paths let the database number the rows).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from unitrace.core.chain import address, dumps, keyed, moment, seal, sealer

EVENT_FIELDS = [
    "unit_id",
    "type",
    "occurred_at",
    "recorded_at",
    "actor_id",
    "actor_name",
    "source",
    "ip_address",
    "warehouse_id",
    "party_id",
    "region",
    "replaces_id",
    "ref_type",
    "ref_id",
    "notes",
    "details",
    "from_status",
    "to_status",
]
_MOMENTS = {EVENT_FIELDS.index("occurred_at"), EVENT_FIELDS.index("recorded_at")}
_IP = EVENT_FIELDS.index("ip_address")
_DETAILS = EVENT_FIELDS.index("details")


def canonical(values: Sequence[Any]) -> list[Any]:
    """Values in ``EVENT_FIELDS`` order, as they go into the payload."""
    out = list(values)
    for i in _MOMENTS:
        out[i] = moment(out[i])
    out[_IP] = address(out[_IP])
    if isinstance(out[_DETAILS], str):
        out[_DETAILS] = json.loads(out[_DETAILS] or "{}")
    return out


def payload(values: Sequence[Any]) -> str:
    return dumps(canonical(values))


def event_values(event) -> list[Any]:
    return [getattr(event, name) for name in EVENT_FIELDS]


def seal_event(prev: str, event) -> str:
    event.chain_hash = seal(prev, payload(event_values(event)))
    return event.chain_hash


_MIDDLE = slice(1, _DETAILS)  # type .. notes: the same for every event of a bulk step


def _json(value: Any) -> str:
    return dumps([value])[1:-1]


def seal_many(events: Sequence, prev: dict[int, str]) -> None:
    """``seal_event`` for the events of one bulk step (``record_many``), byte for byte.

    They share everything but the unit, the details and the statuses, so the shared
    fields are serialized once (the payload is a JSON array: its elements' JSON joined
    by commas) and only the rest per event.
    """
    middles: dict[tuple, str] = {}
    texts: dict[Any, str] = {}
    base = keyed()
    for event in events:
        row = event.__dict__  # every field's attname is set on a built instance
        values = [row[name] for name in EVENT_FIELDS]
        key = tuple(values[_MIDDLE])
        middle = middles.get(key)
        if middle is None:
            middle = middles[key] = dumps(canonical([0, *key, {}, "", ""])[_MIDDLE])[1:-1]
        tail = []
        for value in values[_DETAILS + 1 :]:
            text = texts.get(value)
            if text is None:
                text = texts[value] = _json(value)
            tail.append(text)
        details = values[_DETAILS]
        if isinstance(details, str):
            details = json.loads(details)
        try:
            shape = tuple(sorted(details.items()))
            text = texts.get(shape)
            if text is None:
                text = texts[shape] = _json(details)
            details = text
        except TypeError:  # a nested value: no shortcut
            details = _json(details)
        text = f"{prev.get(values[0], '')}\n[{values[0]},{middle},{details},{','.join(tail)}]"
        mac = base.copy()
        mac.update(text.encode("utf-8"))
        event.chain_hash = mac.hexdigest()


def first_event_sealer(values: Sequence[Any]):
    """For many first events that differ only in ``unit_id``: ``seal(unit_id) -> hash``.

    The payload is ``[<unit id>,<the rest>]``; the prefix is hashed once and copied per
    unit (registration seals hundreds of thousands of events in its COPY loop).
    """
    rest = payload([0, *values[1:]])
    tail = rest[rest.index(",") :].encode("utf-8")  # "," + the other fields + "]"
    base = sealer("")
    base.update(b"[")

    def seal_unit(unit_id: int) -> str:
        mac = base.copy()
        mac.update(str(unit_id).encode("ascii") + tail)
        return mac.hexdigest()

    return seal_unit
