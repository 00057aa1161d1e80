"""Where every unit is now, at millions of units: the grouped counts behind the pages.

Registers ``--units`` units (default 1,000,000) spread over 10 warehouses and 5 SKUs,
then times, each ``--repeat`` times (median reported):

- ``status_totals``: units per warehouse and status for the warehouse list (one
  GROUP BY over every unit that has a warehouse);
- ``stock_matrix``: one warehouse's SKU × status table (one GROUP BY over its units);
- the API call ``GET /api/v1/warehouses/{id}/stock/`` through the test client.

    .venv/bin/python bench/inventory_stock.py --fresh \
        --database-url postgres://postgres@127.0.0.1:5432/unitrace_bench_inventory
"""

from __future__ import annotations

import statistics
import time

import common

WAREHOUSES = 10
SKUS = 5


def build(units: int, tag: str) -> list:
    from django.db import connection

    from unitrace.serials.registration import NewUnit, register_units

    warehouses = common.make_warehouses(WAREHOUSES)
    skus = [common.make_sku(f"BSK-{tag}-{i}") for i in range(SKUS)]
    per = units // (WAREHOUSES * SKUS)
    for w, warehouse in enumerate(warehouses):
        for s, sku in enumerate(skus):
            register_units(
                sku, [NewUnit(f"K{tag}{w:02d}{s}{i:07d}") for i in range(per)], warehouse=warehouse
            )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return warehouses


def median_ms(work, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        work()
        times.append((time.perf_counter() - t) * 1000)
    return round(statistics.median(times), 1)


def main() -> None:
    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--units", type=int, default=1_000_000)
    p.add_argument("--repeat", type=int, default=5)
    args = p.parse_args()
    common.setup(args)

    from django.test import Client

    from unitrace.inventory.selectors import status_totals, stock_matrix
    from unitrace.serials.models import Unit

    tag = f"{int(time.time()) % 100_000:05d}"
    t = time.perf_counter()
    warehouses = build(args.units, tag)
    total = Unit.objects.count()
    print(
        f"setup: {args.units:,} units registered in {time.perf_counter() - t:.1f} s; "
        f"{total:,} units in the table",
        flush=True,
    )
    one = warehouses[0]
    here = Unit.objects.filter(warehouse=one).count()
    figures: dict = {"units_in_table": total, "units_in_warehouse": here}
    figures["status_totals_ms"] = median_ms(status_totals, args.repeat)
    figures["stock_matrix_ms"] = median_ms(lambda: stock_matrix(one), args.repeat)
    client = Client()
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {common.api_token('bench-stock', 'warehouse')}"
    url = f"/api/v1/warehouses/{one.pk}/stock/"

    def call() -> None:
        response = client.get(url, HTTP_HOST="127.0.0.1")
        assert response.status_code == 200, response.content[:200]

    figures["api_stock_ms"] = median_ms(call, args.repeat)
    print(f"  status_totals (all warehouses): {figures['status_totals_ms']} ms", flush=True)
    print(
        f"  stock_matrix ({here:,} units in {one.code}): {figures['stock_matrix_ms']} ms",
        flush=True,
    )
    print(f"  GET {url}: {figures['api_stock_ms']} ms", flush=True)
    common.report(args, "inventory_stock", figures)


if __name__ == "__main__":
    main()
