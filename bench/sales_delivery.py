"""One delivery of 10,000 units: scan list → checks → ledger → delivery note.

Builds a SKU with ``--count`` units received into a warehouse and an order for all of
them, then times ``deliver_order`` (resolve the serials, lock the order lines and the
units, check each unit, ``ledger.record_many``, delivery items, order status) and the
PDF delivery note. A second pass delivers half the count as two partial deliveries.

    .venv/bin/python bench/sales_delivery.py --fresh \
        --database-url postgres://postgres@127.0.0.1:5432/unitrace_sales_bench
    .venv/bin/python bench/sales_delivery.py --fresh          # SQLite file in bench/out/
"""

from __future__ import annotations

import cProfile
import pstats
import time
from datetime import timedelta

import common


def build_stock(sku, warehouse, count: int, prefix: str) -> list[str]:
    from django.utils import timezone

    from unitrace.serials import ledger
    from unitrace.serials.models import Unit
    from unitrace.serials.registration import NewUnit, register_units

    serials = [f"{prefix}{i:08d}" for i in range(count)]
    start = timezone.now() - timedelta(days=2)
    register_units(sku, [NewUnit(s) for s in serials], warehouse=warehouse, when=start)
    ids = list(Unit.objects.filter(sku=sku, serial__startswith=prefix).values_list("pk", flat=True))
    ledger.record_many(
        ids, ledger.EventData("received", warehouse=warehouse, when=start + timedelta(hours=1))
    )
    return serials


def run(count: int, figures: dict, profile: bool) -> None:
    from django.contrib.auth import get_user_model

    from unitrace.core.context import acting_as, actor_for_user
    from unitrace.sales.delivery import deliver_order
    from unitrace.sales.notes import delivery_note_pdf
    from unitrace.sales.orders import create_order
    from unitrace.sales.scanning import rows_from_text

    run_id = time.strftime("%H%M%S")
    sku = common.make_sku("BENCH-DN", name="基准 空调")
    warehouse = common.make_warehouses(1)[0]
    buyer = common.make_parties("customer", 1, prefix=f"BC{run_id}")[0]
    user = get_user_model().objects.filter(is_superuser=True).first()
    with common.timed(f"build {count:,} units in stock", figures, "build_s"):
        serials = build_stock(sku, warehouse, count, f"DN{run_id}")
    order = create_order(buyer, [(sku, count)])
    text = "\n".join(serials)
    prof = cProfile.Profile() if profile else None
    with acting_as(actor_for_user(user, source="command")):
        t = time.perf_counter()
        if prof:
            prof.enable()
        delivery = deliver_order(order, warehouse, rows_from_text(text))
        if prof:
            prof.disable()
        elapsed = time.perf_counter() - t
    assert delivery.unit_count == count
    print(
        f"  deliver {count:,} units in one delivery: {elapsed:.2f} s "
        f"({count / elapsed:,.0f} units/s)",
        flush=True,
    )
    figures["deliver"] = {
        "units": count,
        "seconds": round(elapsed, 2),
        "units_per_s": round(count / elapsed),
    }
    with common.timed("delivery note PDF", figures, "note_pdf_s"):
        pdf = delivery_note_pdf(delivery, None)
    figures["note_pdf_bytes"] = len(pdf)
    if prof:
        pstats.Stats(prof).sort_stats("cumulative").print_stats(30)

    half = count // 2
    more = build_stock(sku, warehouse, half, f"DP{run_id}")
    partial = create_order(buyer, [(sku, half)])
    with common.timed(f"two partial deliveries of {half // 2:,} units", figures, "partial_s"):
        deliver_order(partial, warehouse, rows_from_text("\n".join(more[: half // 2])))
        deliver_order(partial, warehouse, rows_from_text("\n".join(more[half // 2 :])))
    partial.refresh_from_db()
    assert partial.status == "delivered"


def main() -> None:
    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--count", type=int, default=10_000, help="units in the delivery (10,000)")
    p.add_argument("--profile", action="store_true", help="print a cProfile of the delivery")
    args = p.parse_args()
    common.setup(args)
    figures: dict = {}
    run(args.count, figures, args.profile)
    common.report(args, "sales_delivery", figures)


if __name__ == "__main__":
    main()
