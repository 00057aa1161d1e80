"""Finding a customer the way a caller identifies themselves: phone, last four, or name.

An agent on the phone hears "138 1234 5678", "the number ends in 5678" or "王伟"; each
of these is answered from an index (``Party.phone``, ``(kind, phone_tail)`` and the
``name`` pattern index), never by scanning every phone with ``LIKE '%...'``:

* a whole phone number (mobile with or without +86, or a landline) matches exactly;
* four digits match the stored last four digits (``Party.phone_tail``); 5 to 10 digits
  narrow by the last four and keep the phones that end in all of them;
* anything else is the beginning of a name (or a customer's exact code).

Digits are a phone's digits, which are personal data: a user without
``parties.view_pii`` may not look a customer up by them (``CustomerSearchRefused``),
since trying numbers would reveal whose they are. Names may be searched by anyone who
may see customers; the results show names and phones masked for such a user. A login
acting for a distributor or service partner sees no customer records (as on the
customer list). A read of unmasked results is recorded like any list of customers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext_lazy

from unitrace.core.errors import DomainError
from unitrace.parties.masking import can_see_pii, mask_phone, party_name, record_customer_read
from unitrace.parties.models import TAIL_DIGITS, Party
from unitrace.parties.phones import normalize_phone

MAX_LIMIT = 50
CONTAINS_MIN = 3  # characters: a trigram index answers no shorter text
_PHONE_LIKE = re.compile(r"^[\d\s\-+()（）]+$")
_NOT_DIGITS = re.compile(r"\D+")
_COUNTRY = ("0086", "86")
_FIELDS = ("id", "kind", "code", "name", "is_company", "phone", "province", "city", "district")


class CustomerSearchRefused(DomainError):
    """A phone-number search by a user who may not see phone numbers."""

    code = "pii_required"
    status = 403
    default_message = gettext_lazy(
        "Searching by phone number needs permission to see personal data; "
        "search by the customer's name instead."
    )


@dataclass(frozen=True)
class CustomerHit:
    """One customer found, as the searching user may see it."""

    id: int
    code: str
    name: str
    phone: str
    region: str
    is_company: bool


def is_phone_like(query: str) -> bool:
    """Digits (with spaces, dashes, brackets or +), at least as many as a phone's tail."""
    text = query.strip()
    return bool(_PHONE_LIKE.match(text)) and len(_NOT_DIGITS.sub("", text)) >= TAIL_DIGITS


def _allowed(user) -> bool:
    """May see customer records at all: the permission, and not a partner's login."""
    if not (user and user.is_authenticated and user.has_perm("parties.view_party")):
        return False
    profile = getattr(user, "profile", None)
    return profile is None or profile.party_id is None


def _phone_forms(query: str) -> list[str]:
    """The stored forms a typed whole number can have: as normalized, and without +86."""
    typed = normalize_phone(query)
    digits = _NOT_DIGITS.sub("", query)
    forms = [typed, digits]
    for prefix in _COUNTRY:
        if digits.startswith(prefix) and len(digits) == 11 + len(prefix):
            forms.append(digits[len(prefix) :])
    if len(digits) >= 10 and digits.startswith("0"):  # landline typed without its dash
        for area in (3, 4):
            forms.append(f"{digits[:area]}-{digits[area:]}")
    return list(dict.fromkeys(f for f in forms if f))


def phone_match(query: str, phone: str = "phone", tail: str = "phone_tail") -> Q:
    """The condition "the phone in field ``phone`` is what ``query`` says", answered from
    the index on ``phone`` (whole numbers) or on its last four digits ``tail``.

    Any model that keeps a phone with its tail (a party, a work order's contact) is
    searched by the same rules.
    """
    digits = _NOT_DIGITS.sub("", query)
    if len(digits) == TAIL_DIGITS:
        return Q(**{tail: digits})
    if len(digits) < 11 and not digits.startswith("0"):
        # part of a number: the index finds its last four, the rest is checked on few rows
        return Q(**{tail: digits[-TAIL_DIGITS:], f"{phone}__endswith": digits})
    return Q(**{f"{phone}__in": _phone_forms(query)})


def _by_phone(customers, query: str):
    return customers.filter(phone_match(query))


def contains_supported(query: str) -> bool:
    """Whether a name may be searched anywhere in it: only where an index answers that
    (PostgreSQL's trigram index on customers' names, created by the service app's
    search migration) and with at least three characters (fewer make no trigram, and
    the index would be read whole)."""
    return connection.vendor == "postgresql" and len(query) >= CONTAINS_MIN


def find_customers(
    query: str, user, limit: int = 10, *, contains: bool = False
) -> list[CustomerHit]:
    """Customers matching ``query`` that ``user`` may see, best matches first.

    Raises ``CustomerSearchRefused`` for a phone-like query by a user without
    ``parties.view_pii``. ``limit`` is kept between 1 and ``MAX_LIMIT``. With
    ``contains``, names that have ``query`` inside (not at the start) follow the
    prefix matches where ``contains_supported`` says an index serves it.
    """
    query = (query or "").strip()
    if not query or not _allowed(user):
        return []
    limit = max(1, min(int(limit), MAX_LIMIT))
    customers = Party.objects.filter(kind=Party.Kind.CUSTOMER).only(*_FIELDS)
    if is_phone_like(query):
        if not can_see_pii(user):
            raise CustomerSearchRefused()
        found = list(_by_phone(customers, query).order_by("name", "pk")[:limit])
    else:
        found = list(customers.filter(code=query)[:1])
        more = customers.filter(name__startswith=query).exclude(pk__in=[p.pk for p in found])
        found += list(more.order_by("name", "pk")[: limit - len(found)])
        if contains and len(found) < limit and contains_supported(query):
            inside = customers.filter(name__contains=query).exclude(pk__in=[p.pk for p in found])
            # unordered on purpose: ORDER BY name would sort every match of a common
            # text (有限公司: a fiftieth of all customers) to keep ten; the few kept are
            # sorted here instead
            more = list(inside.order_by()[: limit - len(found)])
            found += sorted(more, key=lambda p: (p.name, p.pk))
    record_customer_read(
        user, Party, found, rows=len(found), filters={"q": query}, what="search:customers"
    )
    visible = can_see_pii(user)
    return [
        CustomerHit(
            id=party.pk,
            code=party.code,
            name=party_name(party, user),
            phone=party.phone if visible else mask_phone(party.phone),
            region="/".join(p for p in (party.province, party.city, party.district) if p),
            is_company=party.is_company,
        )
        for party in found
    ]
