"""Recording reads of customers' personal data in units' lists and histories.

A unit's history names the parties of its events (the customer it was delivered to,
returned by, serviced for): read by a user who sees personal data unmasked, it is a
bulk read of personal data and goes into the audit trail once per request, like the
lists of customers (``parties.masking.record_customer_read``).
"""

from __future__ import annotations

from unitrace.parties.masking import record_customer_read
from unitrace.serials.models import Unit, UnitEvent


def record_history_read(
    user, unit: Unit, events: list[dict], *, what: str, filters: dict | None = None
) -> None:
    """Audit ``events`` (``file_reads.event_rows``) of ``unit`` shown to ``user``;
    ``filters`` are the request's own (e.g. the moment ``at``)."""
    record_customer_read(
        user,
        UnitEvent,
        [event.get("party") for event in events],
        rows=len(events),
        filters={**(filters or {}), "unit": unit.serial},
        what=what,
    )
