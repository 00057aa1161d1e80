"""A burst of simultaneous repair requests over HTTP (gunicorn, as in operations).

Builds (once per database) one SKU and ``--units`` delivered units, starts gunicorn
and sends ``--requests`` ``POST /api/v1/repair-requests/`` at once (one thread and
connection per request, all released by one barrier), each on its own unit with its own
``Idempotency-Key`` and one small photo; then sends the first ``--retries`` of them
again with the same keys. Reports p50/p99 latency, submissions per second, errors,
and checks that every accepted request is exactly one work order and every retry
answered the first number.

    .venv/bin/python bench/repair_requests.py --fresh \\
        --database-url postgres://postgres@127.0.0.1:5432/unitrace_bench_repair
"""

from __future__ import annotations

import base64
import http.client
import io
import json
import threading
import time
import uuid
from datetime import timedelta

import common
from unit_file import start_gunicorn, stop


def photo() -> str:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (640, 480), (180, 90, 30)).save(out, "JPEG", quality=80)
    return base64.b64encode(out.getvalue()).decode("ascii")


def build(units: int) -> list[str]:
    from django.utils import timezone

    from unitrace.serials import ledger
    from unitrace.serials.models import Unit
    from unitrace.serials.registration import NewUnit, register_units
    from unitrace.serials.statuses import EventType

    sku = common.make_sku("BENCH-RR", warranty_start="sale")
    serials = [f"RR{i:08d}" for i in range(units)]
    if Unit.objects.filter(sku=sku).count() < units:
        customer = common.make_parties("customer", 1, prefix="BRC")[0]
        warehouse = common.make_warehouses(1)[0]
        start = timezone.now() - timedelta(days=60)
        register_units(sku, [NewUnit(s) for s in serials], when=start)
        ids = list(Unit.objects.filter(sku=sku).values_list("pk", flat=True))
        ledger.record_many(
            ids,
            ledger.EventData(EventType.RECEIVED, warehouse=warehouse, when=start + timedelta(1)),
        )
        ledger.record_many(
            ids,
            ledger.EventData(
                EventType.DELIVERED,
                party=customer,
                when=start + timedelta(2),
                ref_type="DN",
                ref_id="DN-RR",
            ),
        )
    return serials


def post(port: int, token: str, body: bytes, key: str) -> tuple[int, float, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    t = time.perf_counter()
    conn.request(
        "POST",
        "/api/v1/repair-requests/",
        body=body,
        headers={
            "Authorization": f"Token {token}",
            "Content-Type": "application/json",
            "Idempotency-Key": key,
        },
    )
    response = conn.getresponse()
    data = response.read()
    elapsed = time.perf_counter() - t
    conn.close()
    try:
        answer = json.loads(data)
    except ValueError:
        answer = {"raw": data[:200].decode("utf-8", "replace")}
    return response.status, elapsed, answer


def burst(port: int, token: str, bodies: list[tuple[bytes, str]]) -> tuple[list, float]:
    barrier = threading.Barrier(len(bodies))
    results: list = [None] * len(bodies)

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = post(port, token, *bodies[i])
        except OSError as exc:
            results[i] = (0, 0.0, {"error": str(exc)})

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(bodies))]
    for thread in threads:
        thread.start()
    t = time.perf_counter()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - t


def main() -> None:
    p = common.parser(__doc__)
    p.add_argument("--units", type=int, default=2000)
    p.add_argument("--requests", type=int, default=300)
    p.add_argument("--retries", type=int, default=50)
    p.add_argument("--port", type=int, default=8771)
    p.add_argument("--workers", type=int, default=3)
    p.add_argument("--threads", type=int, default=4)
    p.add_argument("--worker-class", default="sync")
    args = p.parse_args()
    common.setup(args)
    serials = build(max(args.units, args.requests))
    token = common.api_token("bench-crm", "agent")
    from unitrace.service.models import WorkOrder

    WorkOrder.objects.filter(serial_given__startswith="RR").update(state="closed")
    picture = photo()
    run_id = uuid.uuid4().hex[:8]
    bodies = []
    for i in range(args.requests):
        body = {
            "serial": serials[i],
            "contact_name": "测试用户",
            "contact_phone": f"139{i:08d}",
            "address": "浙江省杭州市西湖区文三路 1 号",
            "description": "不制冷",
            "channel": "crm",
            "allow_duplicate": True,
            "photos": [{"name": "a.jpg", "data": picture}],
        }
        bodies.append((json.dumps(body).encode(), f"{run_id}-{i}"))
    before = WorkOrder.objects.count()
    server = start_gunicorn(args, args.database_url)
    try:
        results, seconds = burst(args.port, token, bodies)
        retried, _ = burst(args.port, token, bodies[: args.retries])
    finally:
        stop(server)
    ok = [r for r in results if r[0] == 201]
    latencies = [r[1] * 1000 for r in ok]
    errors = [r for r in results if r[0] != 201]
    same_answer = sum(
        1
        for first, again in zip(results, retried, strict=False)
        if again[0] == 201 and again[2].get("number") == first[2].get("number")
    )
    created = WorkOrder.objects.count() - before
    figures = {
        "requests": args.requests,
        "accepted": len(ok),
        "errors": len(errors),
        "error_samples": [(*e[:1], e[2]) for e in errors[:3]],
        "work_orders_created": created,
        "retries_same_answer": f"{same_answer}/{args.retries}",
        "seconds": round(seconds, 2),
        "submissions_per_s": round(len(ok) / seconds, 1) if seconds else None,
        "latency_ms": common.summary(latencies) if latencies else {},
        "workers": f"{args.workers} {args.worker_class}",
    }
    print(json.dumps(figures, ensure_ascii=False, indent=1), flush=True)
    common.report(args, "repair_requests", figures)


if __name__ == "__main__":
    main()
