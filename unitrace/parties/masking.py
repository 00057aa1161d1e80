"""Masking of personal data for roles that don't need it (138****1234, 张**).

One permission decides everything: a user with ``parties.view_pii`` sees phones,
addresses and people's names in full; any other user sees them masked, in pages, the
API, exports and unit histories alike.

Names: a customer who is a person (``kind`` customer, not ``is_company``) is personal
data, and so is the contact person of any party. A company's name (suppliers,
distributors, service partners, customers that are companies) is not personal data: it
is shown to every role that may see the party. A masked name keeps its first character
and stars the rest, at most three stars (张三 → 张*, 张三丰 → 张**, 欧阳修远 → 欧***;
Latin names the same: "John Smith" → "J***"), so neither a given name nor the length of
a long name shows.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from unitrace.geo.distance import point_for

# Personal data a role without ``parties.view_pii`` only ever sees masked: phones,
# addresses and the contact person of any party (a supplier's or a distributor's too).
PII_FIELDS = ("phone", "address", "contact")
MASK_MARK = "****"


def can_see_pii(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("parties.view_pii"))


def mask_phone(phone: str) -> str:
    digits = phone.strip()
    if len(digits) <= 4:
        return "*" * len(digits)
    if len(digits) >= 11:
        return f"{digits[:3]}****{digits[-4:]}"
    return f"{'*' * (len(digits) - 4)}{digits[-4:]}"


def mask_address(address: str) -> str:
    return f"{address[:2]}****" if address else ""


def mask_name(name: str) -> str:
    """张三 → 张*: the first character only, for names the viewer did not give us."""
    name = name.strip()
    return f"{name[:1]}{'*' * min(len(name) - 1, 3)}" if len(name) > 1 else "*" * len(name)


MASKERS = {"phone": mask_phone, "address": mask_address, "contact": mask_name}


def is_person(party) -> bool:
    """Whether the party's name is a person's name (personal data)."""
    return party.kind == "customer" and not party.is_company


def party_name(party, user) -> str:
    """The party's name as this user may see it: a person's name masked without PII."""
    if party is None:
        return ""
    if is_person(party) and not can_see_pii(user):
        return mask_name(party.name)
    return party.name


def masked_value(field: str, value: str) -> str:
    """``value`` of the personal-data ``field`` (phone, address, contact) as a role without
    PII sees it."""
    return MASKERS[field](value or "")


def record_pii_read(user, model, *, rows: int, filters: dict, what: str) -> None:
    """Audit a bulk read of personal data by a user who sees it unmasked.

    Lists and exports of customers (and of anything carrying their phones, addresses or
    names) call this once per page or file; users without ``parties.view_pii`` see the
    data masked, so their reads are not personal-data access and are not recorded.
    """
    if rows and can_see_pii(user):
        from unitrace.core.audit import log_access

        clean = {k: v for k, v in filters.items() if v not in ("", None)}
        log_access(model, rows=rows, filters=clean, what=what)


def contact_name(party, user) -> str:
    """The party's contact person as this user may see it (张** without PII)."""
    if party is None:
        return ""
    return party.contact if can_see_pii(user) else mask_name(party.contact or "")


def _is_customer(party) -> bool:
    kind = party.get("kind") if isinstance(party, dict) else getattr(party, "kind", None)
    return kind == "customer"


def query_filters(params) -> dict:
    """A request's query parameters as the filters of an access entry (lists kept)."""
    return {k: v[0] if len(v) == 1 else v for k, v in params.lists()}


def record_customer_read(
    user, model, parties: Iterable, *, rows: int, filters: dict, what: str
) -> None:
    """Audit a list (a page of units, orders, deliveries, returns, a unit's history) that
    shows customers' personal data to a user who sees it unmasked.

    ``parties`` are the parties the list shows (models or ``party_dict`` dicts, None
    where a row has none): the read is recorded once, with the list's ``rows`` and
    ``filters``, when at least one of them is a customer; a page of units all in
    warehouses shows nobody's personal data and is not recorded.
    """
    if rows and can_see_pii(user) and any(p is not None and _is_customer(p) for p in parties):
        record_pii_read(user, model, rows=rows, filters=filters, what=what)


def party_contact(party, user) -> dict[str, str]:
    """Name, contact person, phone and address as this user may see them."""
    if party is None:
        return {}
    visible = can_see_pii(user)
    return {
        "name": party_name(party, user),
        "contact": contact_name(party, user),
        "phone": party.phone if visible else mask_phone(party.phone),
        "address": party.address if visible else mask_address(party.address),
        "region": "/".join(p for p in (party.province, party.city, party.district) if p),
    }


def party_location(party, user) -> dict:
    """Division code, point and resolution flag; exact (GPS) coordinates are personal
    data: a user who may not see addresses gets the division's centroid instead."""
    latitude, longitude, exact = party.latitude, party.longitude, party.location_exact
    if exact and not can_see_pii(user):
        exact = False
        latitude = longitude = None
        if party.adcode:
            centroid = point_for(party.adcode)
            latitude, longitude = centroid.latitude, centroid.longitude
    return {
        "adcode": party.adcode,
        "latitude": None if latitude is None else float(latitude),
        "longitude": None if longitude is None else float(longitude),
        "location_exact": exact,
        "address_resolved": party.address_resolved,
        "address_issue": party.address_issue,
    }


def keep_hidden_pii(party, data: dict, user) -> dict:
    """``data`` without the phone/address edits a user who cannot see them did not make.

    A user without ``parties.view_pii`` is shown the phone, address and contact person
    masked (or not at all), so an empty value or the masked value sent back means
    "unchanged": the real values stay. Only a newly typed value replaces them; a value that
    still carries the mask (an edited placeholder) is refused rather than saved.
    """
    if party is None or user is None or can_see_pii(user):
        return data
    data = dict(data)
    for name in PII_FIELDS:
        if name not in data:
            continue
        value = (data[name] or "").strip()
        current = getattr(party, name) or ""
        if not value or value == masked_value(name, current):
            del data[name]
        elif MASK_MARK in value or (name == "contact" and "*" in value):
            raise ValidationError(
                {name: _("Type the whole new value: a masked value cannot be edited.")}
            )
    return data
