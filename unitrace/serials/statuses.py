"""Unit statuses and event types, with the groups and transitions the ledger enforces.

The transition table is data, not scattered ``if``s: the ledger, the guards shown in
the UI and the rebuild command all read it, so they cannot disagree.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    REGISTERED = "registered", _("registered")
    IN_STOCK = "in_stock", _("in stock")
    IN_TRANSIT = "in_transit", _("in transit")
    QUARANTINED = "quarantined", _("quarantined")
    BLOCKED = "blocked", _("blocked")
    SHIPPED = "shipped", _("shipped")
    SOLD = "sold", _("delivered / sold")
    ACTIVATED = "activated", _("activated")
    INSTALLED = "installed", _("installed")
    IN_SERVICE = "in_service", _("in service")
    FITTED = "fitted", _("fitted in a product")
    REMOVED = "removed", _("removed from a product")
    RETURNED = "returned", _("returned")
    RECALLED = "recalled", _("recalled")
    MISSING = "missing", _("missing")
    SCRAPPED = "scrapped", _("scrapped")


class EventType(models.TextChoices):
    REGISTERED = "registered", _("registered")
    RECEIVED = "received", _("received")
    MOVED = "moved", _("moved")
    TRANSFER_OUT = "transfer_out", _("transfer dispatched")
    TRANSFER_IN = "transfer_in", _("transfer received")
    QUARANTINED = "quarantined", _("quarantined")
    BLOCKED = "blocked", _("blocked")
    RELEASED = "released", _("released")
    SHIPPED = "shipped", _("shipped")
    DELIVERED = "delivered", _("delivered / sold")
    ACTIVATED = "activated", _("activated")
    INSTALLED = "installed", _("installed")
    SERVICED = "serviced", _("serviced")
    SERVICE_IN = "service_in", _("taken in for repair")
    REPAIRED = "repaired", _("repaired")
    COMPONENT_INSTALLED = "component_installed", _("component installed")
    COMPONENT_REMOVED = "component_removed", _("component removed")
    FITTED = "fitted", _("fitted into a product")
    PART_SWAPPED = "part_swapped", _("part replaced inside a component")
    UNFITTED = "unfitted", _("removed from a product")
    RETURNED = "returned", _("returned")
    RECALLED = "recalled", _("recalled")
    SOLD_THROUGH = "sold_through", _("sold to end customer")
    MISSING = "missing", _("reported missing")
    FOUND = "found", _("found again")
    SCRAPPED = "scrapped", _("scrapped")
    ADJUSTED = "adjusted", _("corrected")


S = Status
IN_STOCK_GROUP = frozenset({S.IN_STOCK, S.QUARANTINED, S.BLOCKED, S.RETURNED, S.REMOVED})
IN_FIELD_GROUP = frozenset({S.SOLD, S.ACTIVATED, S.INSTALLED})
STATUS_GROUPS: dict[str, frozenset[str]] = {
    "in_stock": IN_STOCK_GROUP,
    "in_field": IN_FIELD_GROUP,
    "in_transit": frozenset({S.IN_TRANSIT, S.SHIPPED}),
    "closed": frozenset({S.SCRAPPED}),
}
ALIVE = frozenset(Status.values) - {S.SCRAPPED}

# event type -> (statuses it may start from, status it leads to; None = unchanged,
# "field" = the unit's field status: installed, activated or sold by its dates)
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    EventType.REGISTERED: (frozenset({""}), S.REGISTERED),
    EventType.RECEIVED: (
        frozenset({S.REGISTERED, S.RETURNED, S.REMOVED, S.IN_TRANSIT}),
        S.IN_STOCK,
    ),
    EventType.MOVED: (frozenset({S.IN_STOCK, S.QUARANTINED, S.BLOCKED}), None),
    EventType.TRANSFER_OUT: (frozenset({S.IN_STOCK}), S.IN_TRANSIT),
    EventType.TRANSFER_IN: (frozenset({S.IN_TRANSIT}), S.IN_STOCK),
    EventType.QUARANTINED: (
        frozenset({S.REGISTERED, S.IN_STOCK, S.RETURNED, S.REMOVED, S.IN_TRANSIT}),
        S.QUARANTINED,
    ),
    EventType.BLOCKED: (frozenset({S.IN_STOCK, S.QUARANTINED, S.RETURNED}), S.BLOCKED),
    EventType.RELEASED: (frozenset({S.QUARANTINED, S.BLOCKED}), S.IN_STOCK),
    EventType.SHIPPED: (frozenset({S.IN_STOCK}), S.SHIPPED),
    EventType.DELIVERED: (frozenset({S.IN_STOCK, S.SHIPPED}), S.SOLD),
    EventType.ACTIVATED: (frozenset({S.SOLD, S.SHIPPED, S.INSTALLED}), "field"),
    EventType.INSTALLED: (frozenset({S.SOLD, S.ACTIVATED, S.SHIPPED}), S.INSTALLED),
    EventType.SERVICED: (IN_FIELD_GROUP | {S.IN_SERVICE}, None),
    EventType.SERVICE_IN: (IN_FIELD_GROUP | {S.RETURNED, S.RECALLED}, S.IN_SERVICE),
    EventType.REPAIRED: (IN_FIELD_GROUP | {S.IN_SERVICE}, "field"),
    # a fitted sub-assembly's own parts change only in a swap (genealogy.replace_component)
    EventType.COMPONENT_INSTALLED: (ALIVE, None),
    EventType.COMPONENT_REMOVED: (ALIVE, None),
    EventType.PART_SWAPPED: (ALIVE, None),
    EventType.FITTED: (frozenset({S.REGISTERED, S.IN_STOCK, S.REMOVED}), S.FITTED),
    EventType.UNFITTED: (frozenset({S.FITTED}), S.REMOVED),
    EventType.RETURNED: (IN_FIELD_GROUP | {S.SHIPPED, S.IN_SERVICE, S.RECALLED}, S.RETURNED),
    EventType.RECALLED: (ALIVE - {S.RECALLED, S.FITTED}, S.RECALLED),
    EventType.SCRAPPED: (ALIVE - {S.FITTED}, S.SCRAPPED),
    EventType.SOLD_THROUGH: (frozenset({S.SOLD}), S.SOLD),
    EventType.MISSING: (IN_STOCK_GROUP | {S.IN_TRANSIT}, S.MISSING),
    EventType.FOUND: (frozenset({S.MISSING}), S.IN_STOCK),
    EventType.ADJUSTED: (ALIVE, None),
}


def refusal(event_type: str, status: str) -> str | None:
    """Why ``event_type`` cannot happen to a unit in ``status`` (None if it can)."""
    allowed, _target = TRANSITIONS[event_type]
    if status in allowed:
        return None
    if status == "":
        return str(_("the unit is not registered"))
    return str(
        _("a unit that is %(status)s cannot be %(event)s")
        % {"status": Status(status).label, "event": EventType(event_type).label}
    )
