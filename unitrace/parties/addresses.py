"""Parties' addresses resolved to division codes in bulk (the migration that brought
the codes in, and a re-run after a division data upgrade)."""

from __future__ import annotations

from unitrace.geo.fields import location_values
from unitrace.geo.resolve import resolve_address

ADDRESS_FIELDS = ("province", "city", "district", "address")
BATCH = 2000


def backfill_locations(party_model, *, batch_size: int = BATCH) -> int:
    """Resolve every party's 省/市/区 and address into its code and centroid; the count.

    Works on the historical model of a migration as on the real one: plain columns,
    keyset pages by primary key (no OFFSET), one ``bulk_update`` per page. Parties with
    exact (GPS) coordinates keep them. Names are not changed.
    """
    done = 0
    last = 0
    while True:
        rows = list(
            party_model.objects.filter(pk__gt=last)
            .order_by("pk")
            .only("pk", "location_exact", "latitude", "longitude", *ADDRESS_FIELDS)[:batch_size]
        )
        if not rows:
            return done
        for party in rows:
            resolution = resolve_address(
                party.address, province=party.province, city=party.city, district=party.district
            )
            typed = any(getattr(party, name) for name in ADDRESS_FIELDS)
            values = location_values(resolution, has_address=typed)
            if party.location_exact:
                del values["latitude"], values["longitude"]
            for name, value in values.items():
                setattr(party, name, value)
        party_model.objects.bulk_update(
            rows,
            ["adcode", "latitude", "longitude", "address_resolved", "address_issue"],
        )
        done += len(rows)
        last = rows[-1].pk
