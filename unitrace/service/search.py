"""The agent console's one search box: serial, partial serial, phone, name or WO number.

An agent on the phone hears whatever the caller has at hand — the serial on the label,
"the number ends in 5678", a name, the work-order number from the text message — and a
scanner gun types a serial (or a GS1 element string, or a label URL) followed by Enter.
:func:`search` decides what the text can be and asks only the questions an index
answers, because the tables are large (a million customers and work orders, five
million units) and the box searches on every keystroke:

* a work-order number (``WO-20261207-000123``, dashes optional) → that work order, by
  its unique number;
* digits (a whole mobile or landline number, or its last four or more digits) → the
  customers and the work orders whose contact phone it is, through the phone and
  phone-tail indexes (``parties.search.phone_match``); digits may also be a serial;
* a code → the unit it names, as the scan page resolves it (``serials.resolver``:
  label URL, GS1 string, serial in any letter case, supplier serial), then the units
  whose serial *begins* with it (the serial's pattern index; never ``LIKE '%x%'``,
  which reads all five million units);
* anything else → customers by name (the beginning of the name through its pattern
  index, then, on PostgreSQL, anywhere in it through the trigram index) or by code.

Each customer comes with the units it holds and its open work orders, each unit with
its holder and open work orders. What a user sees is scoped exactly as elsewhere:
units by ``serials.selectors.units_visible_to``, customers by ``parties.search``
(a partner's login sees no customer records; digits need ``parties.view_pii``), work
orders by ``service.access.work_orders_visible_to``; people's names and phones are
masked for a user without ``parties.view_pii``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import F, Q, Window
from django.db.models.functions import Collate, RowNumber
from django.urls import get_resolver, get_urlconf, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unitrace.core.errors import DomainError
from unitrace.core.text import has_forbidden
from unitrace.parties.masking import can_see_pii, mask_name, mask_phone, party_name
from unitrace.parties.models import Party
from unitrace.parties.search import (
    CustomerHit,
    CustomerSearchRefused,
    find_customers,
    is_phone_like,
    phone_match,
)
from unitrace.serials.models import Unit
from unitrace.serials.resolver import resolve
from unitrace.serials.selectors import units_visible_to
from unitrace.serials.statuses import Status
from unitrace.service import access
from unitrace.service.states import OPEN_STATES, State
from unitrace.service.workorders import NUMBER_PREFIX

MAX_QUERY = 200  # characters: a GS1 string or a label URL fits; nobody types more
DEFAULT_LIMIT = 20
MAX_LIMIT = 50
PER_PARENT = 5  # units or open work orders shown under one customer or unit
PREFIX_MIN = 3  # characters of a partial serial before the prefix search starts

# WO-YYYYMMDD-000123 (``core.numbering.document_number``), dashes and case optional
_WO_NUMBER = re.compile(rf"^{NUMBER_PREFIX}-?(\d{{8}})-?(\d{{6,}})$", re.IGNORECASE)
# what a serial typed by hand looks like: no spaces, nothing but letters, digits, - . /
_SERIAL_LIKE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")

NUMBER, PHONE, CODE, NAME, EMPTY = "number", "phone", "code", "name", "empty"


class SearchRefused(DomainError):
    """The search text itself is unusable (too long, or not text)."""

    code = "invalid_query"
    status = 400


@dataclass(frozen=True)
class WorkOrderHit:
    id: int
    number: str
    state: str
    state_label: str
    open: bool
    priority: str
    kind: str
    opened_at: str
    unit_id: int | None
    serial: str
    customer_id: int | None
    contact_name: str
    contact_phone: str
    url: str | None


@dataclass(frozen=True)
class UnitHit:
    id: int
    serial: str
    sku: str
    sku_name: str
    status: str
    status_label: str
    holder_id: int | None
    holder_name: str
    url: str
    work_orders: list[WorkOrderHit] = field(default_factory=list)
    new_work_order_url: str | None = None


@dataclass(frozen=True)
class CustomerResult:
    customer: CustomerHit
    url: str
    units: list[UnitHit] = field(default_factory=list)
    work_orders: list[WorkOrderHit] = field(default_factory=list)
    new_work_order_url: str | None = None


@dataclass
class SearchResult:
    """What the box found, in the order the page shows it."""

    query: str
    kind: str = EMPTY
    customers: list[CustomerResult] = field(default_factory=list)
    units: list[UnitHit] = field(default_factory=list)
    work_orders: list[WorkOrderHit] = field(default_factory=list)
    notice: str = ""  # a refusal shown in place of a part (e.g. digits without PII)

    def shown_under_parents(self) -> set[int]:
        """Work orders already listed under a customer or a unit: ``work_orders`` lists
        only the others (the ones found by number, phone or serial alone)."""
        units = [*self.units, *(u for c in self.customers for u in c.units)]
        return {
            *(w.id for u in units for w in u.work_orders),
            *(w.id for c in self.customers for w in c.work_orders),
        }

    @property
    def count(self) -> int:
        return len(self.customers) + len(self.units) + len(self.work_orders)

    @property
    def single_url(self) -> str | None:
        """The one page to open on Enter, when the text named exactly one thing."""
        if self.count != 1:
            return None
        if self.units:
            return self.units[0].url
        if self.work_orders:
            return self.work_orders[0].url
        return self.customers[0].url

    def as_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "kind": self.kind,
            "notice": self.notice,
            "single_url": self.single_url,
            "customers": [asdict(c) for c in self.customers],
            "units": [asdict(u) for u in self.units],
            "work_orders": [asdict(w) for w in self.work_orders],
        }


def optional_url(name: str, *args: Any, query: str = "") -> str | None:
    """The URL of ``name``, or None where the page does not exist (yet) on this site.

    Whether the name exists is remembered per URL configuration: a failed ``reverse``
    is slow (it lists every candidate), and a search asks for dozens of links.
    """
    if not _routed(name, get_urlconf() or settings.ROOT_URLCONF):
        return None
    return reverse(name, args=args) + query


@lru_cache(maxsize=64)
def _routed(name: str, urlconf: str) -> bool:
    namespace, _sep, url_name = name.rpartition(":")
    resolver = get_resolver(urlconf)
    if namespace:
        if namespace not in resolver.namespace_dict:
            return False
        resolver = resolver.namespace_dict[namespace][1]
    return url_name in resolver.reverse_dict


def may_search(user) -> bool:
    """Anyone who may see units or work orders: what each finds is scoped below."""
    return bool(
        user.is_authenticated
        and (
            user.has_perm("serials.view_unit")
            or user.has_perm(access.VIEW)
            or user.has_perm(access.WORK)
        )
    )


def clean_query(text: str | None) -> str:
    """The text as searched: trimmed, in one Unicode form; refused when it is no text."""
    text = text or ""
    if len(text) > MAX_QUERY:
        raise SearchRefused(_("Search for at most %(n)d characters.") % {"n": MAX_QUERY}, field="q")
    if has_forbidden(text):  # the site's one rule: a GS1 group separator is allowed
        raise SearchRefused(_("The search text contains control characters."), field="q")
    return unicodedata.normalize("NFKC", text).strip()


def classify(text: str) -> str:
    """What ``text`` can be: a WO number, a phone's digits, a code, or a name."""
    if not text:
        return EMPTY
    if _WO_NUMBER.match(text):
        return NUMBER
    if is_phone_like(text):
        return PHONE
    if _SERIAL_LIKE.match(text) or "\x1d" in text or text.startswith(("]", "(", "http")):
        return CODE
    return NAME


def search(user, text: str | None, limit: int = DEFAULT_LIMIT) -> SearchResult:
    """Customers, units and work orders ``text`` names, as ``user`` may see them.

    At most ``limit`` (1 to ``MAX_LIMIT``) of each; raises ``SearchRefused`` for text
    longer than ``MAX_QUERY`` or with control characters.
    """
    query = clean_query(text)
    result = SearchResult(query, classify(query))
    if result.kind == EMPTY or not may_search(user):
        return result
    limit = max(1, min(int(limit), MAX_LIMIT))
    pii = can_see_pii(user)
    if result.kind == NUMBER:
        number = _WO_NUMBER.match(query)
        formatted = f"{NUMBER_PREFIX}-{number.group(1)}-{number.group(2)}"
        found = access.work_orders_visible_to(user).filter(number=formatted)
        result.work_orders = _wo_hits(_newest(found, 1), user)
        return result
    if result.kind in (PHONE, NAME):
        customers, result.notice = _customers(user, query, limit, contains=result.kind == NAME)
        result.customers = _with_holdings(user, customers)
    if result.kind == PHONE and pii:
        found = access.work_orders_visible_to(user).filter(
            phone_match(query, "contact_phone", "contact_phone_tail")
        )
        result.work_orders = _wo_hits(_newest(found, limit), user)
    if result.kind in (PHONE, CODE):
        result.units = _with_work_orders(user, _units(user, query, limit))
    if result.kind == CODE and not result.units:
        # a serial nobody registered may still be on a work order (kept as the caller gave it)
        found = access.work_orders_visible_to(user).filter(serial_given=query)
        result.work_orders = _wo_hits(_newest(found, limit), user)
    shown = result.shown_under_parents()
    result.work_orders = [w for w in result.work_orders if w.id not in shown]
    return result


def _newest(work_orders, limit: int):
    return work_orders.order_by("-opened_at", "-pk").values(*_WO_FIELDS)[:limit]


def _customers(user, query: str, limit: int, *, contains: bool) -> tuple[list[CustomerHit], str]:
    try:
        return find_customers(query, user, min(limit, 10), contains=contains), ""
    except CustomerSearchRefused as refused:
        return [], str(refused.message)


def _units(user, query: str, limit: int) -> list[Unit]:
    """The unit the code names, then the units whose serial begins with it."""
    visible = units_visible_to(user)
    # letter case is not tried by the resolver here (up to 256 spellings in one IN list):
    # the prefix search below asks for the text as typed and in capitals, which covers it
    found = resolve(query, visible, supplier_serial=True, limit=limit).units
    if len(found) < limit and len(query) >= PREFIX_MIN and _SERIAL_LIKE.match(query):
        seen = {u.pk for u in found}
        # serials are printed in capitals; a phone keyboard types lower case
        more: list[Unit] = []
        for prefix in dict.fromkeys((query, query.upper())):
            more += _serials_from(visible, prefix, limit + len(seen))
        more.sort(key=lambda u: (u.serial.encode(), u.pk))
        found += [u for u in dict.fromkeys(more) if u.pk not in seen]
    return found[:limit]


def _serials_from(visible, prefix: str, count: int) -> list[Unit]:
    """The first ``count`` units in serial order whose serial begins with ``prefix``.

    A range in byte order (serials are printable ASCII): on PostgreSQL over
    ``serial COLLATE "C"``, which the ``unit_serial_c`` index serves in order, so the
    scan stops after ``count`` rows. ``LIKE 'x%' ORDER BY serial`` could use the
    pattern index to find the rows but not to order them: a prefix matching 27,000
    units fetched and sorted all of them (1 s) to show 20.
    """
    end = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    queryset = visible.select_related("sku").only(*_UNIT_FIELDS)
    if connection.vendor == "postgresql":
        queryset = queryset.annotate(serial_c=Collate("serial", "C"))
        queryset = queryset.filter(serial_c__gte=prefix, serial_c__lt=end)
        return list(queryset.order_by("serial_c", "pk")[:count])
    # SQLite compares text byte by byte (BINARY) and its index on serial serves the range
    queryset = queryset.filter(serial__gte=prefix, serial__lt=end)
    return list(queryset.order_by("serial", "pk")[:count])


# what a unit's line shows: enough to read, never the whole row (a search runs per keystroke)
_UNIT_FIELDS = ("id", "serial", "status", "holder_id", "sold_at", "sku__code", "sku__name")
_PARTY_FIELDS = ("id", "kind", "code", "name", "is_company")
_WO_FIELDS = (
    "id",
    "number",
    "state",
    "priority",
    "kind",
    "opened_at",
    "unit_id",
    "unit__serial",
    "serial_given",
    "customer_id",
    "contact_name",
    "contact_phone",
)


def _with_work_orders(user, units: list[Unit]) -> list[UnitHit]:
    holders = {u.holder_id for u in units if u.holder_id}
    names = {p.pk: p for p in Party.objects.filter(pk__in=holders).only(*_PARTY_FIELDS)}
    by_unit, _ = _open_work_orders(user, [u.pk for u in units], [])
    return [
        _unit_hit(unit, user, names.get(unit.holder_id), by_unit.get(unit.pk, [])) for unit in units
    ]


def _with_holdings(user, customers: list[CustomerHit]) -> list[CustomerResult]:
    """Each customer with a few of the units it holds (newest sale first) and its open
    work orders: two queries for the whole list."""
    ids = [c.id for c in customers]
    if not ids:
        return []
    # cut per customer in SQL: a company may hold thousands of units
    held = (
        units_visible_to(user)
        .filter(holder_id__in=ids)
        .select_related("sku")
        .only(*_UNIT_FIELDS)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("holder_id")],
                order_by=[F("sold_at").desc(nulls_last=True), F("pk").desc()],
            )
        )
        .filter(rank__lte=PER_PARENT)
        .order_by("holder_id", "rank")
    )
    units_of: dict[int, list[Unit]] = {}
    for unit in held:
        units_of.setdefault(unit.holder_id, []).append(unit)
    unit_ids = [u.pk for units in units_of.values() for u in units]
    by_unit, by_customer = _open_work_orders(user, unit_ids, ids)
    results = []
    for hit in customers:
        results.append(
            CustomerResult(
                customer=hit,
                url=reverse("serials:customer_units", args=[hit.id]),
                units=[
                    _unit_hit(u, user, None, by_unit.get(u.pk, []), holder_name=hit.name)
                    for u in units_of.get(hit.id, [])
                ],
                work_orders=by_customer.get(hit.id, []),
                new_work_order_url=optional_url(
                    "service:workorder_create", query=f"?customer={hit.id}"
                ),
            )
        )
    return results


def _open_work_orders(
    user, unit_ids: list[int], customer_ids: list[int]
) -> tuple[dict[int, list[WorkOrderHit]], dict[int, list[WorkOrderHit]]]:
    """The open work orders on ``unit_ids`` and of ``customer_ids``, newest first, in one
    query: each under its unit when that unit is listed, else under its customer, at
    most ``PER_PARENT`` under each. Open orders are few per unit or customer; the query
    reads at most ``PER_PARENT`` per parent in all."""
    by_unit: dict[int, list[WorkOrderHit]] = {}
    by_customer: dict[int, list[WorkOrderHit]] = {}
    if not unit_ids and not customer_ids:
        return by_unit, by_customer
    rows = (
        access.work_orders_visible_to(user)
        .filter(Q(unit_id__in=unit_ids) | Q(customer_id__in=customer_ids))
        .filter(state__in=sorted(OPEN_STATES))
        .order_by("-opened_at", "-pk")
        .values(*_WO_FIELDS)[: PER_PARENT * (len(unit_ids) + len(customer_ids))]
    )
    listed, pii = set(unit_ids), can_see_pii(user)
    for row in rows:
        if row["unit_id"] in listed:
            shelf = by_unit.setdefault(row["unit_id"], [])
        else:
            shelf = by_customer.setdefault(row["customer_id"], [])
        if len(shelf) < PER_PARENT:
            shelf.append(_wo_hit(row, pii))
    return by_unit, by_customer


def _unit_hit(
    unit: Unit, user, holder: Party | None, work_orders: list[WorkOrderHit], holder_name: str = ""
) -> UnitHit:
    return UnitHit(
        id=unit.pk,
        serial=unit.serial,
        sku=unit.sku.code,
        sku_name=unit.sku.name,
        status=unit.status,
        status_label=str(Status(unit.status).label),
        holder_id=unit.holder_id,
        holder_name=holder_name or party_name(holder, user),
        url=reverse("serials:unit_detail", args=[unit.pk]),
        work_orders=work_orders,
        new_work_order_url=optional_url("service:workorder_create", query=f"?unit={unit.pk}"),
    )


def _wo_hits(rows, user) -> list[WorkOrderHit]:
    """``rows`` work orders as ``_WO_FIELDS`` dicts."""
    pii = can_see_pii(user)
    return [_wo_hit(row, pii) for row in rows]


def _local(when: datetime | None) -> str:
    return timezone.localtime(when).isoformat() if when else ""


def _wo_hit(row: dict[str, Any], pii: bool) -> WorkOrderHit:
    return WorkOrderHit(
        id=row["id"],
        number=row["number"],
        state=row["state"],
        state_label=str(State(row["state"]).label),
        open=row["state"] in OPEN_STATES,
        priority=row["priority"],
        kind=row["kind"],
        opened_at=_local(row["opened_at"]),
        unit_id=row["unit_id"],
        serial=row["unit__serial"] or row["serial_given"],
        customer_id=row["customer_id"],
        contact_name=row["contact_name"] if pii else mask_name(row["contact_name"]),
        contact_phone=row["contact_phone"] if pii else mask_phone(row["contact_phone"]),
        url=optional_url("service:workorder_detail", row["id"]),
    )
