"""A stocktake of 100,000 units: open (snapshot), scan every unit, report, close.

The warehouse holds ``--units`` units spread over 20 bins. The count scans them as a
warehouse does it, with the usual mess: 1 % of the units are never found, 0.5 % are
scanned in the wrong bin, 2 % are scanned twice, and some units the book does not
expect turn up (in stock elsewhere, reported missing earlier, registered but never
received), plus unreadable codes. Closing posts every adjustment to the ledger.

Phases timed: ``open`` (snapshot of the book), ``scan`` (through ``stocktakes.scan``,
one call per scan, as the count page and the API do; p50/p99 per scan), or with
``--batch N`` through ``stocktakes.scan_many`` in uploads of N codes (a handheld that
counts offline), ``report`` and ``close`` (report + all adjustments, one transaction).

    .venv/bin/python bench/inventory_stocktake.py --fresh \
        --database-url postgres://postgres@127.0.0.1:5432/unitrace_bench_inventory
    .venv/bin/python bench/inventory_stocktake.py --batch 1000 ...   # handheld uploads
    .venv/bin/python bench/inventory_stocktake.py --clerks 4 ...     # four scanners at once
"""

from __future__ import annotations

import random
import threading
import time
from datetime import timedelta

import common

BINS = 20


def build(units: int, tag: str) -> dict:
    """Master data and units placed by the ledger (setup, not timed as a phase)."""
    from django.utils import timezone

    from unitrace.places.models import Bin, Warehouse
    from unitrace.serials import ledger
    from unitrace.serials.ledger import EventData
    from unitrace.serials.models import Unit
    from unitrace.serials.registration import NewUnit, register_units
    from unitrace.serials.statuses import EventType

    sku = common.make_sku(f"BST-{tag}")
    here, _c = Warehouse.objects.get_or_create(
        code=f"ST-{tag}", defaults={"name": f"盘点仓 {tag}", "level": "regional"}
    )
    other, _c = Warehouse.objects.get_or_create(
        code=f"ST-{tag}-B", defaults={"name": f"邻仓 {tag}", "level": "regional"}
    )
    bins = [Bin.objects.get_or_create(warehouse=here, code=f"B{i:02d}")[0] for i in range(BINS)]
    extra = 300
    serials = [f"S{tag}{i:07d}" for i in range(units + extra)]
    then = timezone.now() - timedelta(days=3)
    register_units(sku, [NewUnit(s) for s in serials], when=then)
    ids = dict(Unit.objects.filter(sku=sku).values_list("serial", "id"))
    book = serials[:units]
    per_bin = -(-units // BINS)
    for i, shelf in enumerate(bins):
        chunk = [ids[s] for s in book[i * per_bin : (i + 1) * per_bin]]
        ledger.record_many(
            chunk,
            EventData(
                EventType.RECEIVED, warehouse=here, bin=shelf, when=then + timedelta(hours=1)
            ),
        )
    elsewhere = serials[units : units + 200]  # in stock in the other warehouse
    lost = serials[units + 200 : units + 250]  # reported missing before
    ledger.record_many(
        [ids[s] for s in elsewhere + lost],
        EventData(EventType.RECEIVED, warehouse=other, when=then + timedelta(hours=1)),
    )
    ledger.record_many(
        [ids[s] for s in lost],
        EventData(EventType.MISSING, notes="lost", when=then + timedelta(hours=2)),
    )
    # the last 50 stay registered, never received
    from django.db import connection

    if connection.vendor == "postgresql":  # as autovacuum would have, in a live database
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {"here": here, "bins": bins, "book": book, "strays": serials[units:], "ids": ids}


def scan_plan(data: dict, seed: int = 11) -> list[tuple[str, int]]:
    """(code, bin index) in the order clerks scan them."""
    rng = random.Random(seed)
    book, units = data["book"], len(data["book"])
    per_bin = -(-units // BINS)
    missing = set(rng.sample(range(units), units // 100))
    wrong = set(rng.sample(range(units), units // 200)) - missing
    plan = []
    for i, serial in enumerate(book):
        if i in missing:
            continue
        home = i // per_bin
        plan.append((serial, (home + 1) % BINS if i in wrong else home))
    repeats = rng.sample(plan, units // 50)
    plan += repeats + [(s, rng.randrange(BINS)) for s in data["strays"]]
    plan += [(f"NOPE-{i}", 0) for i in range(100)]
    rng.shuffle(plan)
    plan.sort(key=lambda item: item[1])  # bin by bin, as people walk the aisles
    return plan


def scan_single(count, plan, bins, clerks: int, figures: dict) -> None:
    from django.db import connection

    from unitrace.inventory import stocktakes

    latencies: list[list[float]] = [[] for _ in range(clerks)]

    def work(index: int) -> None:
        mine = latencies[index]
        try:
            for code, shelf in plan[index::clerks]:
                t = time.perf_counter()
                stocktakes.scan(count.pk, code, bin=bins[shelf])
                mine.append((time.perf_counter() - t) * 1000)
        finally:
            if clerks > 1:
                connection.close()

    t = time.perf_counter()
    if clerks == 1:
        work(0)
    else:
        threads = [threading.Thread(target=work, args=(i,)) for i in range(clerks)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    elapsed = time.perf_counter() - t
    flat = [ms for per_clerk in latencies for ms in per_clerk]
    assert len(flat) == len(plan), "a scanner thread failed"
    stats = common.summary(flat)
    print(
        f"  scan: {len(plan):,} scans by {clerks} clerk(s) in {elapsed:.2f} s = "
        f"{len(plan) / elapsed:,.0f} scans/s; per scan ms {stats}",
        flush=True,
    )
    figures["scan"] = {
        "scans": len(plan),
        "clerks": clerks,
        "seconds": round(elapsed, 2),
        "scans_per_s": round(len(plan) / elapsed),
        "latency_ms": stats,
    }


def scan_batches(count, plan, bins, size: int, figures: dict) -> None:
    from unitrace.inventory import stocktakes

    uploads = []
    for shelf in range(BINS):
        codes = [code for code, b in plan if b == shelf]
        uploads += [(shelf, codes[i : i + size]) for i in range(0, len(codes), size)]
    per_upload = []
    t = time.perf_counter()
    for shelf, codes in uploads:
        start = time.perf_counter()
        stocktakes.scan_many(count.pk, codes, bin=bins[shelf])
        per_upload.append((time.perf_counter() - start) * 1000)
    elapsed = time.perf_counter() - t
    stats = common.summary(per_upload)
    print(
        f"  scan: {len(plan):,} scans in {len(uploads)} uploads of <= {size} in "
        f"{elapsed:.2f} s = {len(plan) / elapsed:,.0f} scans/s; per upload ms {stats}",
        flush=True,
    )
    figures["scan"] = {
        "scans": len(plan),
        "uploads": len(uploads),
        "upload_size": size,
        "seconds": round(elapsed, 2),
        "scans_per_s": round(len(plan) / elapsed),
        "upload_ms": stats,
    }


def main() -> None:
    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--units", type=int, default=100_000, help="units in the book (100,000)")
    p.add_argument("--batch", type=int, default=0, help="scan in uploads of N codes")
    p.add_argument("--clerks", type=int, default=1, help="parallel scanners (single scans)")
    args = p.parse_args()
    common.setup(args)

    from unitrace.inventory import stocktakes
    from unitrace.inventory.models import Stocktake
    from unitrace.inventory.stocktakes.closing import close_stocktake, stocktake_report

    tag = f"{int(time.time()) % 1_000_000:06d}"
    figures: dict = {"units": args.units}
    t = time.perf_counter()
    data = build(args.units, tag)
    print(
        f"setup: {args.units:,} units received into {BINS} bins in "
        f"{time.perf_counter() - t:.1f} s (not a phase)",
        flush=True,
    )
    plan = scan_plan(data)
    figures["plan"] = {"scans": len(plan)}

    with common.timed("open (snapshot of the book)", figures, "open_s"):
        count = stocktakes.open_stocktake(data["here"])
    assert count.book_count == args.units, count.book_count
    if args.batch:
        scan_batches(count, plan, data["bins"], args.batch, figures)
    else:
        scan_single(count, plan, data["bins"], args.clerks, figures)
    count = Stocktake.objects.get(pk=count.pk)
    with common.timed("report (counts + first 500 lines per category)", figures, "report_s"):
        report = stocktake_report(count)
    print(f"  report: {report['counts']}", flush=True)
    with common.timed("close (report + every adjustment, one transaction)", figures, "close_s"):
        closed = close_stocktake(
            count,
            reason="年度盘点 benchmark",
            adjust={"missing": "all", "unexpected": "all", "misplaced": "all"},
        )
    print(f"  summary: {closed.summary}", flush=True)
    figures["summary"] = closed.summary
    figures["counters"] = {
        "counted": closed.counted_count,
        "duplicates": closed.duplicate_count,
        "unknown": closed.unknown_count,
        "scans": closed.scan_count,
    }
    common.report(args, "inventory_stocktake", figures)


if __name__ == "__main__":
    main()
