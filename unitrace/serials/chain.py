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

from unitrace.core.chain import address, dumps, moment, seal, sealer

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
