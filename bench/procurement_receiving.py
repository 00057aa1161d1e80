"""Receiving against purchase orders: per-scan latency, and 100,000 units from one file.

1. ``scan``: ``--scans`` scans through ``receiving.receive_scan`` (the service the page
   and the API call) on an order whose supplier sent its serial list (ASN). The mix is
   what a dock sees: plain serials on the list, 10 % as GS1 element strings, 4 % scanned
   twice (duplicate), 1 % of another SKU (wrong SKU), 1 % not on the list (received into
   quarantine as suspects). p50/p90/p99 per scan, overall and for accepted scans.
2. ``http``: the same mix as ``POST /api/v1/purchase-orders/{id}/receive/ {"code": ...}``
   through Django's test client with an API token (middleware, authentication,
   permission, serializer, JSON): client-side time and the server's ``Server-Timing``.
3. ``file``: a supplier's list of ``--units`` rows (CSV with Chinese headers: 型号, 序列号,
   供应商序列号, 批次, 生产日期) imported with ``asn.import_asn_file``, then the same
   ``--units`` serials received from one CSV with ``receiving_bulk.receive_file``
   (validation against order, list and units; ``register_units``; ``ledger.record_many``).

    .venv/bin/python bench/procurement_receiving.py --fresh \
        --database-url postgres://postgres@127.0.0.1:5432/unitrace_procurement_bench
    .venv/bin/python bench/procurement_receiving.py --fresh    # SQLite file in bench/out/
    .venv/bin/python bench/procurement_receiving.py --paths file --units 100000 --profile
"""

from __future__ import annotations

import cProfile
import io
import json
import pstats
import random
import time

import common

MIX_SEED = 11
# Serials differ per run, so a run can reuse the database of an earlier one.
RUN = f"{int(time.time()) % 1_000_000:06d}"


def gtin_for(body: str) -> str:
    from biip.checksums import gs1_standard_check_digit

    return f"{body}{gs1_standard_check_digit(body)}"


GTINS = {
    "SCAN": "0690999000001",
    "HTTP": "0690999000002",
    "FILE": "0690999000003",
    "OTHER": "0690999000009",
}


def make_sku(tag: str):
    return common.make_sku(f"BPR-{tag}", gtin=gtin_for(GTINS[tag]))


def make_order(sku, quantity: int, *, serials: list[str] | None = None):
    """An open order of one SKU and, if given, the supplier's list of serials."""
    from django.utils import timezone

    from unitrace.parties.models import Party
    from unitrace.procurement import asn, orders

    supplier, _c = Party.objects.get_or_create(
        code="BSUP1", defaults={"kind": "supplier", "name": "基准供应商"}
    )
    warehouse = common.make_warehouses(1)[0]
    order = orders.open_order(
        orders.create_order(
            supplier,
            [orders.LineInput(sku, quantity)],
            warehouse=warehouse,
            number=f"BPO-{sku.code}-{timezone.now():%Y%m%d%H%M%S}",
        )
    )
    if serials:
        result = asn.import_asn_rows(order, [(i, {"serial": s}) for i, s in enumerate(serials, 2)])
        assert result.created == len(serials), result.as_dict()
    return order, warehouse


def scan_mix(count: int, tag: str, gtin: str, other_gtin: str) -> tuple[list[str], list[str]]:
    """(listed serials, scans): the scans a dock produces for ``count`` listed units."""
    rng = random.Random(MIX_SEED)
    listed = [f"R{tag}{RUN}{i:07d}" for i in range(count)]
    scans: list[str] = []
    done: list[str] = []
    for serial in listed:
        roll = rng.random()
        if roll < 0.04 and done:
            scans.append(rng.choice(done))  # scanned twice
        elif roll < 0.05:
            scans.append(f"(01){other_gtin}(21)X{serial}")  # another SKU
        elif roll < 0.06:
            scans.append(f"(01){gtin}(21)Q{serial}")  # not on the list: a suspect
        code = f"(01){gtin}(21){serial}" if rng.random() < 0.1 else serial
        scans.append(code)
        done.append(serial)
        if len(scans) >= count:
            break
    return listed, scans[:count]


def _summarize(label: str, times: list[float], outcomes: list[str], figures: dict) -> None:
    accepted = [t for t, o in zip(times, outcomes, strict=True) if o == "accepted"]
    counts: dict[str, int] = {}
    for o in outcomes:
        counts[o] = counts.get(o, 0) + 1
    figures[label] = {
        "scans": len(times),
        "ms": common.summary(times),
        "accepted_ms": common.summary(accepted),
        "outcomes": counts,
    }
    s = figures[label]["ms"]
    print(
        f"  {label}: {len(times):,} scans, p50 {s['p50']} ms, p90 {s['p90']} ms, "
        f"p99 {s['p99']} ms, max {s['max']} ms; outcomes {counts}",
        flush=True,
    )


def _scans(tag: str, count: int):
    sku, other = make_sku(tag), make_sku("OTHER")
    listed, scans = scan_mix(count, tag[0], sku.gtin, other.gtin)
    order, warehouse = make_order(sku, count, serials=listed)
    return order, warehouse, scans


def run_scan(count: int, figures: dict) -> None:
    from unitrace.core.context import Actor, acting_as
    from unitrace.procurement.receipts import open_receipt
    from unitrace.procurement.receiving import receive_scan

    order, warehouse, scans = _scans("SCAN", count)
    receipt = open_receipt(order, warehouse)
    times, outcomes = [], []
    print(f"scan (service): {len(scans):,} scans on {order.number}", flush=True)
    with acting_as(Actor(username="bench-clerk", source="bench")):
        for code in scans:
            t = time.perf_counter()
            feedback = receive_scan(receipt, code)
            times.append((time.perf_counter() - t) * 1000)
            outcomes.append(str(feedback.outcome))
    _summarize("scan_service", times, outcomes, figures)


def run_http(count: int, figures: dict) -> None:
    from django.test import Client

    order, _warehouse, scans = _scans("HTTP", count)
    client = Client(HTTP_AUTHORIZATION=f"Token {common.api_token('bench-clerk', 'warehouse')}")
    url = f"/api/v1/purchase-orders/{order.pk}/receive/"
    times, server, outcomes = [], [], []
    print(f"scan (HTTP): {len(scans):,} POST {url}", flush=True)
    for code in scans:
        body = json.dumps({"code": code})
        t = time.perf_counter()
        response = client.post(url, body, content_type="application/json")
        times.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, response.content[:300]
        server.append(float(response["Server-Timing"].split("dur=")[1]))
        outcomes.append(response.json()["outcome"])
    _summarize("scan_http_client", times, outcomes, figures)
    _summarize("scan_http_server", server, outcomes, figures)


def build_files(count: int, sku_code: str) -> tuple[bytes, bytes, list[str]]:
    import csv

    serials = [f"F{RUN}{i:09d}" for i in range(count)]
    asn_out = io.StringIO()
    writer = csv.writer(asn_out, lineterminator="\r\n")
    writer.writerow(["型号", "序列号", "供应商序列号", "批次", "生产日期"])
    for i, serial in enumerate(serials):
        writer.writerow([sku_code, serial, f"V{i:010X}", f"L{i // 5000:03d}", "2026-01-15"])
    receive_out = io.StringIO()
    receive_out.write("序列号\r\n")
    receive_out.writelines(f"{s}\r\n" for s in serials)
    return asn_out.getvalue().encode("utf-8-sig"), receive_out.getvalue().encode(), serials


def run_file(count: int, figures: dict, profile: bool) -> None:
    from unitrace.procurement.asn import import_asn_file
    from unitrace.procurement.receipts import open_receipt
    from unitrace.procurement.receiving_bulk import receive_file
    from unitrace.serials.models import Unit

    sku = make_sku("FILE")
    order, warehouse = make_order(sku, count)
    asn_csv, receive_csv, serials = build_files(count, sku.code)
    print(
        f"file: supplier's list of {count:,} rows ({len(asn_csv) / 1e6:.1f} MB), "
        f"then receiving {count:,} serials from one CSV",
        flush=True,
    )
    t = time.perf_counter()
    result = import_asn_file(order, asn_csv, "发货清单.csv")
    asn_s = time.perf_counter() - t
    assert result.created == count, result.as_dict()
    print(f"  ASN import: {asn_s:.2f} s = {count / asn_s:,.0f} rows/s", flush=True)
    receipt = open_receipt(order, warehouse)
    prof = cProfile.Profile() if profile else None
    t = time.perf_counter()
    if prof:
        prof.enable()
    received = receive_file(receipt, receive_csv, "收货.csv")
    if prof:
        prof.disable()
    receive_s = time.perf_counter() - t
    assert received.accepted == count and not received.errors, received.as_dict()
    mine = Unit.objects.filter(sku=sku, serial__startswith=f"F{RUN}", status="in_stock")
    assert mine.count() == count
    print(f"  receive_file: {receive_s:.2f} s = {count / receive_s:,.0f} units/s", flush=True)
    figures["file"] = {
        "units": count,
        "asn_import_s": round(asn_s, 2),
        "receive_s": round(receive_s, 2),
        "receive_units_per_s": round(count / receive_s),
    }
    del serials
    if prof:
        pstats.Stats(prof).sort_stats("cumulative").print_stats(30)


def main() -> None:
    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--scans", type=int, default=10_000, help="scans per scan path (10,000)")
    p.add_argument("--units", type=int, default=100_000, help="units in the file (100,000)")
    p.add_argument("--paths", default="scan,http,file", help="scan,http,file")
    p.add_argument("--profile", action="store_true", help="cProfile of the file receipt")
    args = p.parse_args()
    common.setup(args)
    figures: dict = {"scans": args.scans, "units": args.units}
    paths = [x.strip() for x in args.paths.split(",") if x.strip()]
    if "scan" in paths:
        run_scan(args.scans, figures)
    if "http" in paths:
        run_http(args.scans, figures)
    if "file" in paths:
        run_file(args.units, figures, args.profile)
    common.report(args, "procurement_receiving", figures)


if __name__ == "__main__":
    main()
