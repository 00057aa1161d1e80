"""The two reads behind every unit file: the unit with what it points to, and its events.

The unit file is the most-asked page of the system (an agent on the phone, a scan at
the dock, an integrator's sync), so both reads are fixed SQL (``core.sql``): one join
for the unit, its SKU, batch, batch supplier, place, holder and distributor, and one
for the events with their warehouse and party. The unit comes back as model
instances, so warranty, labels and genealogy work on it as on any other unit; fields
not selected load on access.
"""

from __future__ import annotations

from django.utils import timezone

from unitrace.catalog.models import SKU, Batch
from unitrace.core.sql import aware, columns, fetch, fetch_one, instance, json_value
from unitrace.parties.masking import party_contact
from unitrace.parties.models import Party
from unitrace.places.models import Bin, Warehouse
from unitrace.serials.ledger import STATE_FIELDS
from unitrace.serials.models import Unit, UnitEvent
from unitrace.serials.statuses import EventType

# identity, then the state the ledger derives from the events
_UNIT = ["id", "serial", "supplier_serial", "public_token", "production_date", "sku", "batch"]
_UNIT += STATE_FIELDS
_SKU = ["id", "code", "name", "gtin", "serialized", "warranty_months", "warranty_start"]
_BATCH = ["id", "code", "production_date", "factory", "line", "qc_status", "supplier", "sku"]
_WAREHOUSE = ["id", "code", "name", "level"]
_BIN = ["id", "code", "warehouse"]
_PARTY = [
    "id",
    "kind",
    "is_company",
    "code",
    "name",
    "contact",
    "phone",
    "province",
    "city",
    "district",
    "address",
]

_PARTS: list[tuple[type, list[str], str]] = [
    (Unit, _UNIT, "u"),
    (SKU, _SKU, "s"),
    (Batch, _BATCH, "b"),
    (Party, _PARTY, "bs"),
    (Warehouse, _WAREHOUSE, "w"),
    (Bin, _BIN, "bn"),
    (Party, _PARTY, "h"),
    (Party, _PARTY, "d"),
]


def _table(model) -> str:
    return model._meta.db_table


_UNIT_SQL = (
    "SELECT "  # noqa: S608 - table and column names from the models, not input
    + ", ".join(columns(model, names, alias) for model, names, alias in _PARTS)
    + f" FROM {_table(Unit)} u"
    f" JOIN {_table(SKU)} s ON s.id = u.sku_id"
    f" LEFT JOIN {_table(Batch)} b ON b.id = u.batch_id"
    f" LEFT JOIN {_table(Party)} bs ON bs.id = b.supplier_id"
    f" LEFT JOIN {_table(Warehouse)} w ON w.id = u.warehouse_id"
    f" LEFT JOIN {_table(Bin)} bn ON bn.id = u.bin_id"
    f" LEFT JOIN {_table(Party)} h ON h.id = u.holder_id"
    f" LEFT JOIN {_table(Party)} d ON d.id = u.distributor_id"
    " WHERE u.id = %s"
)
# A distributor or service partner sees the units it holds or distributed.
_SCOPED_UNIT_SQL = _UNIT_SQL + " AND (u.holder_id = %s OR u.distributor_id = %s)"


def load_unit(pk: int, party_id: int | None) -> Unit | None:
    """Unit ``pk`` with SKU, batch (and its supplier), place, holder and distributor.

    ``party_id`` is the caller's data scope (None = staff, every unit); a unit outside
    it is None, exactly as a unit that does not exist.
    """
    if party_id is None:
        row = fetch_one(_UNIT_SQL, [pk])
    else:
        row = fetch_one(_SCOPED_UNIT_SQL, [pk, party_id, party_id])
    if row is None:
        return None
    objects = []
    at = 0
    for model, names, _alias in _PARTS:
        objects.append(instance(model, names, row[at : at + len(names)]))
        at += len(names)
    unit, sku, batch, supplier, warehouse, bin_, holder, distributor = objects
    if batch is not None:
        batch.supplier = supplier
    unit.sku, unit.batch, unit.warehouse, unit.bin = sku, batch, warehouse, bin_
    unit.holder, unit.distributor = holder, distributor
    return unit


_EVENT = [
    "id",
    "type",
    "occurred_at",
    "recorded_at",
    "actor_name",
    "source",
    "region",
    "ref_type",
    "ref_id",
    "notes",
    "details",
    "from_status",
    "to_status",
]
_EVENTS_SQL = (
    "SELECT "  # noqa: S608 - table and column names from the models, not input
    + columns(UnitEvent, _EVENT, "e")
    + ", w.code, "
    + columns(Party, _PARTY, "p")
    + f" FROM {_table(UnitEvent)} e"
    f" LEFT JOIN {_table(Warehouse)} w ON w.id = e.warehouse_id"
    f" LEFT JOIN {_table(Party)} p ON p.id = e.party_id"
    " WHERE e.unit_id = %s ORDER BY e.occurred_at, e.id"
)


def party_dict(party: Party | None, user) -> dict | None:
    """A party as the unit file shows it, personal data masked as the user's role says."""
    if party is None:
        return None
    return {
        "id": party.pk,
        "code": party.code,
        "name": party.name,
        "kind": party.kind,
        **party_contact(party, user),
    }


def event_rows(unit_id: int, user) -> list[dict]:
    """The unit's events in time order, as the timeline and the API show them."""
    local = timezone.localtime
    label = {value: str(text) for value, text in EventType.choices}
    n = len(_EVENT)
    events = []
    for row in fetch(_EVENTS_SQL, [unit_id]):
        e = dict(zip(_EVENT, row[:n], strict=True))
        ref_id = e["ref_id"]
        events.append(
            {
                "id": e["id"],
                "type": e["type"],
                "label": label.get(e["type"], e["type"]),
                "time": local(aware(e["occurred_at"])).isoformat(),
                "recorded_at": local(aware(e["recorded_at"])).isoformat(),
                "actor": e["actor_name"],
                "source": e["source"],
                "warehouse": row[n],
                "party": party_dict(instance(Party, _PARTY, row[n + 1 :]), user),
                "region": e["region"],
                "reference": {"type": e["ref_type"], "id": ref_id} if ref_id else None,
                "notes": e["notes"],
                "details": json_value(e["details"]) or {},
                "from_status": e["from_status"],
                "to_status": e["to_status"],
            }
        )
    return events
