"""Registration throughput: units/s for generation and for a CSV import.

1. ``generate``: ``generate_units`` for one SKU with a numbered rule and a check
   character (counter reservation, duplicate check against the database, COPY/insert).
2. ``import``: a CSV such as an integrator sends (Chinese headers, UTF-8 with BOM;
   SKU, serial, batch, production date, supplier serial per row) is written to
   ``bench/out/`` and registered with ``import_file`` (read, validate every row, check
   the database for duplicates, register). The database already holds the generated
   units, so the duplicate check runs against a full table.

    .venv/bin/python bench/register.py --fresh \
        --database-url postgres://postgres@127.0.0.1:5432/unitrace_bench
    .venv/bin/python bench/register.py --fresh                 # SQLite file in bench/out/
    .venv/bin/python bench/register.py --count 100000 --paths import --profile
"""

from __future__ import annotations

import cProfile
import csv
import io
import pstats
import random
import time
from datetime import timedelta

import common


def build_csv(count: int, sku_codes: list[str], batch_codes: list[str], seed: int = 7) -> bytes:
    """``count`` rows, serials unique, in the shape of a supplier's export."""
    from django.utils import timezone

    rng = random.Random(seed)
    today = timezone.localdate()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["型号", "序列号", "批号", "生产日期", "供应商序列号"])
    per_batch = max(1, count // len(batch_codes))
    for i in range(count):
        b = min(i // per_batch, len(batch_codes) - 1)
        made = today - timedelta(days=1 + b % 300)
        writer.writerow(
            [
                sku_codes[i % len(sku_codes)],
                f"SX{made:%y%m}{i:09d}",
                batch_codes[b],
                made.isoformat(),
                f"V{rng.randrange(16**10):010X}",
            ]
        )
    return out.getvalue().encode("utf-8-sig")


def rates(count: int, elapsed: float, cpu: common.CpuMeter) -> dict:
    """units/s by the clock, and the CPU seconds Python and the database spent."""
    rate = count / elapsed
    busy = cpu.client + cpu.server
    where = (
        f"Python {cpu.client:.1f} s, database backend {cpu.server:.1f} s"
        if cpu.pid
        else f"{cpu.client:.1f} s (SQLite works in-process)"
    )
    print(
        f"  {count:,} units in {elapsed:.2f} s = {rate:,.0f} units/s; CPU: {where} "
        f"(= {count / busy:,.0f} units per CPU-second)",
        flush=True,
    )
    return {
        "units": count,
        "seconds": round(elapsed, 2),
        "units_per_s": round(rate),
        "cpu_python_s": round(cpu.client, 1),
        "cpu_db_s": round(cpu.server, 1),
        "units_per_cpu_s": round(count / busy),
    }


def run_generate(count: int, figures: dict, profile: bool) -> None:
    from unitrace.serials.generation import generate_units

    sku = common.make_sku("BENCH-GEN", pattern="G{YY}{MM}{SEQ:8}{CHECK}")
    warehouse = common.make_warehouses(1)[0]
    print(f"generate_units: {count:,} units", flush=True)
    prof = cProfile.Profile() if profile else None
    t = time.perf_counter()
    with common.CpuMeter() as cpu:
        if prof:
            prof.enable()
        result = generate_units(sku, count, warehouse=warehouse)
        if prof:
            prof.disable()
    elapsed = time.perf_counter() - t
    assert result.count == count, result
    figures["generate"] = rates(count, elapsed, cpu)
    print(f"    ({result.first} .. {result.last})", flush=True)
    if prof:
        pstats.Stats(prof).sort_stats("cumulative").print_stats(25)


def run_import(count: int, figures: dict, profile: bool) -> None:
    from unitrace.serials.importing import import_file

    skus = [common.make_sku(f"BENCH-IMP{i}") for i in range(2)]
    batches = common.make_batches(skus[0], 100, prefix="IL")
    common.make_batches(skus[1], 100, prefix="IL")  # same codes: batches are per SKU
    path = common.OUT / f"import_{count}.csv"
    t = time.perf_counter()
    data = build_csv(count, [s.code for s in skus], [b.code for b in batches])
    path.write_bytes(data)
    print(
        f"import_file: {count:,} rows, {len(data) / 1e6:.1f} MB CSV written to "
        f"bench/out/{path.name} in {time.perf_counter() - t:.1f} s",
        flush=True,
    )
    warehouse = common.make_warehouses(1)[0]
    prof = cProfile.Profile() if profile else None
    t = time.perf_counter()
    with common.CpuMeter() as cpu:
        if prof:
            prof.enable()
        result = import_file(data, path.name, mode="all", warehouse=warehouse, ref_id="BENCH")
        if prof:
            prof.disable()
    elapsed = time.perf_counter() - t
    assert result.created == count and not result.errors, result.as_dict()
    figures["import"] = {"csv_mb": round(len(data) / 1e6, 1), **rates(count, elapsed, cpu)}
    if prof:
        pstats.Stats(prof).sort_stats("cumulative").print_stats(30)


def main() -> None:
    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--count", type=int, default=1_000_000, help="units per path (1,000,000)")
    p.add_argument("--paths", default="generate,import", help="generate,import")
    p.add_argument("--profile", action="store_true", help="print a cProfile of each path")
    args = p.parse_args()
    common.setup(args)
    figures: dict = {"count": args.count}
    paths = [x.strip() for x in args.paths.split(",") if x.strip()]
    if "generate" in paths:
        run_generate(args.count, figures, args.profile)
    if "import" in paths:
        run_import(args.count, figures, args.profile)
    common.report(args, "register", figures)


if __name__ == "__main__":
    main()
