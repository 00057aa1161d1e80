"""A burst of repair submissions: POST /api/v1/repair-requests/ over HTTP to gunicorn.

Runs against the data of ``service_data.py`` (or any database with sold units held by
customers): ``--requests`` submissions (300) go out at once from a bounded asyncio
client (``httpx``, ``--concurrency`` connections, default all of them), each with its
own ``Idempotency-Key``, plus ``--retries`` (30) second sends of keys already in the
burst with the same body, as a client that timed out would retry — some arrive while
the first is still being served. Each request names a real unit (sold, no open work
order) with its holder's name and phone and an address the geo resolver reads; one in
twenty names no serial (flagged, not refused); ``--photo-share`` of them carry one
640×480 JPEG photo (base64, as the API takes them).

Then, in the database: every accepted key has exactly one work order, every response
to a retried key names the same work order as the first, and no other work order was
opened. Reported: errors, p50/p90/p99 client latency, submissions/s over the burst,
lock waits seen in ``pg_stat_activity`` during it, CPU per submission (gunicorn and
database), and the SQL queries one submission costs (in-process, through the same view).
``--sustained N`` adds a longer run of N submissions with ``--sustained-concurrency``
in flight, for the rate a steady stream gets.

Server: gunicorn ``-w 3 -k sync`` as docs/operations.md runs it on two cores.

    .venv/bin/python bench/service_intake.py \\
        --database-url postgres://postgres@127.0.0.1:5432/unitrace_bench_service
    .venv/bin/python bench/service_intake.py --sustained 3000 --photo-share 0.2 \\
        --database-url postgres://postgres@127.0.0.1:5432/unitrace_bench_service
"""

from __future__ import annotations

import asyncio
import base64
import io
import json
import os
import random
import threading
import time
import uuid

import common

FAULTS = ("E1", "E2", "E5", "N1", "L1")
CHANNELS = ("wechat", "call_centre", "crm", "api")
TARGET_P99_S = 2.0
TARGET_RATE = 100.0


def pick_units(count: int, seed: int) -> list[tuple]:
    """Sold units without an open work order, with their holder: (serial, name, phone,
    address text)."""
    from django.db import connection

    from unitrace.service.states import OPEN_STATES

    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'serials_unit'")
        total = max(1.0, float(cursor.fetchone()[0]))
        percent = min(100.0, 100.0 * count * 4 / total)
        cursor.execute(
            "SELECT u.serial, p.name, p.phone, p.province || p.city || p.district || p.address "
            "FROM serials_unit u TABLESAMPLE BERNOULLI (%s) REPEATABLE (%s) "
            "JOIN parties_party p ON p.id = u.holder_id "
            "WHERE u.status IN ('sold', 'installed', 'activated') AND p.phone <> '' "
            "AND NOT EXISTS (SELECT 1 FROM service_workorder w WHERE w.unit_id = u.id "
            "AND w.state = ANY(%s)) LIMIT %s",
            [percent, seed, list(OPEN_STATES), count],
        )
        rows = cursor.fetchall()
    if len(rows) < count:
        raise SystemExit(f"found only {len(rows)} sold units without an open work order")
    return rows


def photo_b64(seed: int) -> str:
    from PIL import Image

    rng = random.Random(seed)
    image = Image.new("RGB", (640, 480), tuple(rng.randrange(256) for _ in range(3)))
    for _ in range(40):  # some structure, so the JPEG is not trivially small
        x, y = rng.randrange(600), rng.randrange(440)
        image.paste(tuple(rng.randrange(256) for _ in range(3)), (x, y, x + 40, y + 40))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return base64.b64encode(out.getvalue()).decode("ascii")


def payloads(units: list[tuple], seed: int, photo_share: float) -> list[tuple[str, dict]]:
    """(key, body) per submission."""
    rng = random.Random(seed)
    photo = photo_b64(seed) if photo_share > 0 else ""
    out = []
    for i, (serial, name, phone, address) in enumerate(units):
        body = {
            "serial": serial if i % 20 != 19 else "",
            "contact_name": name,
            "contact_phone": phone,
            "address": address,
            "fault_code": rng.choice(FAULTS),
            "description": "开机半小时仍不制冷，室外机不转",
            "channel": rng.choice(CHANNELS),
            "priority": "normal",
        }
        if photo and rng.random() < photo_share:
            body["photos"] = [{"name": f"fault-{i}.jpg", "data": photo}]
        out.append((f"bench-{uuid.uuid4()}", body))
    return out


async def _send(client, sem, key: str, body: dict, results: list, t0: float) -> None:
    async with sem:
        start = time.perf_counter()
        try:
            resp = await client.post(
                "/api/v1/repair-requests/", json=body, headers={"Idempotency-Key": key}
            )
            status, text = resp.status_code, resp.text
            replayed = resp.headers.get("Idempotent-Replayed") == "true"
        except Exception as exc:  # a transport failure is an error of the run
            status, text, replayed = 0, repr(exc), False
        end = time.perf_counter()
        results.append(
            {
                "key": key,
                "status": status,
                "text": text,
                "replayed": replayed,
                "start": start - t0,
                "seconds": end - start,
                "end": end - t0,
            }
        )


async def _burst(port: int, token: str, sends: list[tuple[str, dict]], concurrency: int):
    import httpx

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
    results: list[dict] = []
    sem = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}", headers=headers, limits=limits, timeout=120
    ) as client:
        t0 = time.perf_counter()
        await asyncio.gather(*(_send(client, sem, k, b, results, t0) for k, b in sends))
        wall = time.perf_counter() - t0
    return results, wall


def burst(port, token, sends, concurrency) -> tuple[list[dict], float]:
    return asyncio.run(_burst(port, token, sends, concurrency))


class LockWatch:
    """Samples ``pg_stat_activity`` every 50 ms: how many backends wait, and on what."""

    def __init__(self, url: str):
        self.url = url
        self.samples = 0
        self.waiting: dict[str, int] = {}
        self.max_lock_waiters = 0
        self._stop = threading.Event()

    def _loop(self) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self._stop.wait(0.05):
                rows = conn.execute(
                    "SELECT wait_event_type, wait_event, left(query, 60) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                    "AND state = 'active' AND wait_event_type IN ('Lock', 'LWLock', 'IO')"
                ).fetchall()
                self.samples += 1
                locks = 0
                for kind, event, query in rows:
                    label = f"{kind}:{event} {query.split(' ')[0] if query else ''}"
                    self.waiting[label] = self.waiting.get(label, 0) + 1
                    locks += kind == "Lock"
                self.max_lock_waiters = max(self.max_lock_waiters, locks)

    def __enter__(self) -> LockWatch:
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def figures(self) -> dict:
        top = sorted(self.waiting.items(), key=lambda kv: -kv[1])[:6]
        return {
            "samples": self.samples,
            "max_backends_waiting_on_a_lock": self.max_lock_waiters,
            "waits_seen": dict(top),
        }


def verify(results: list[dict], first_id: int) -> dict:
    """Every accepted key one work order, retries the same one, nothing else opened."""
    from django.db.models import Count

    from unitrace.service.models import WorkOrder

    by_key: dict[str, set[str]] = {}
    errors = []
    for r in results:
        if r["status"] != 201:
            errors.append(f"{r['key']}: HTTP {r['status']} {r['text'][:300]}")
            continue
        by_key.setdefault(r["key"], set()).add(json.loads(r["text"])["number"])
    split = {k: v for k, v in by_key.items() if len(v) != 1}
    numbers = [next(iter(v)) for v in by_key.values()]
    opened = WorkOrder.objects.filter(pk__gt=first_id)
    in_db = dict(
        opened.filter(number__in=numbers)
        .values("number")
        .annotate(n=Count("id"))
        .values_list("number", "n")
    )
    return {
        "errors": errors,
        "accepted_keys": len(by_key),
        "keys_with_several_work_orders": len(split),
        "work_orders_opened": opened.count(),
        "work_orders_matching_responses": sum(in_db.values()),
        "numbers_not_found": len([n for n in numbers if n not in in_db]),
        "numbers_twice": len([n for n, c in in_db.items() if c > 1]),
    }


def queries_per_submission(token: str, body: dict) -> dict:
    """One submission through the view in-process: how many SQL statements, of which kind."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    with CaptureQueriesContext(connection) as ctx:
        resp = client.post(
            "/api/v1/repair-requests/",
            data=json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {token}",
            HTTP_IDEMPOTENCY_KEY=f"bench-q-{uuid.uuid4()}",
        )
    if resp.status_code != 201:
        raise SystemExit(f"in-process submission failed: {resp.status_code} {resp.content[:300]}")
    kinds: dict[str, int] = {}
    for q in ctx.captured_queries:
        sql = q["sql"].lstrip()
        word = sql.split(" ", 1)[0].upper()
        if word == "SELECT" and "FOR UPDATE" in sql.upper():
            word = "SELECT FOR UPDATE"
        kinds[word] = kinds.get(word, 0) + 1
    for q in ctx.captured_queries:
        print(f"    {q['sql'][:160]}")
    return {"total": len(ctx.captured_queries), **kinds}


def profile(token: str, units: list[tuple], seed: int) -> None:
    """cProfile of ``len(units)`` submissions in-process (after one warm-up): where the
    CPU of a submission goes."""
    import cProfile
    import pstats

    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    sends = payloads(units, seed + 5, 0)

    def post(key, body):
        resp = client.post(
            "/api/v1/repair-requests/",
            data=json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {token}",
            HTTP_IDEMPOTENCY_KEY=key,
        )
        assert resp.status_code == 201, resp.content[:300]

    post(*sends[0])
    prof = cProfile.Profile()
    cpu = time.process_time()
    prof.enable()
    for key, body in sends[1:]:
        post(key, body)
    prof.disable()
    cpu = (time.process_time() - cpu) / max(1, len(sends) - 1) * 1000
    print(f"  profile: {cpu:.1f} ms CPU per submission in-process (with the profiler)")
    pstats.Stats(prof).sort_stats("cumulative").print_stats(45)


def latency(results: list[dict]) -> dict:
    return common.summary([r["seconds"] * 1000 for r in results if r["status"] == 201])


def run(args, token: str, units: list[tuple], label: str, retries: int, concurrency: int):
    import unit_file
    from django.db import connection

    from unitrace.service.models import WorkOrder

    sends = payloads(units, args.seed + len(label), args.photo_share)
    rng = random.Random(args.seed)
    again = rng.sample(sends, min(retries, len(sends)))
    order = list(sends)
    for item in again:  # a retry goes out shortly after its first send
        order.insert(min(len(order), order.index(item) + rng.randint(1, 20)), item)
    first_id = WorkOrder.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    connection.close()
    proc = unit_file.start_gunicorn(args, args.database_url)
    try:
        warm = payloads(pick_units(6, args.seed + 1000 + len(label)), args.seed + 7, 0)
        burst(args.port, token, warm, 3)  # each worker has served a request
        first_id = WorkOrder.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        connection.close()
        db = common.db_name(args.database_url)
        with unit_file.ServerCpu(proc.pid, db) as cpu, LockWatch(args.database_url) as locks:
            results, wall = burst(args.port, token, order, concurrency)
    finally:
        unit_file.stop(proc)
    checked = verify(results, first_id)
    ok = [r for r in results if r["status"] == 201]
    done = max(1, len(ok))
    fig = {
        "submissions": len(order),
        "distinct_keys": len(sends),
        "retried_keys": len(again),
        "concurrency": concurrency,
        "photos": sum(1 for _k, b in sends if "photos" in b),
        "wall_s": round(wall, 2),
        "submissions_per_s": round(len(ok) / wall, 1),
        "new_work_orders_per_s": round(checked["work_orders_opened"] / wall, 1),
        "replayed_responses": sum(1 for r in ok if r["replayed"]),
        "latency_ms": latency(results),
        "cpu_ms_per_submission": {
            "gunicorn": round(cpu.app / done * 1000, 1),
            "database": round(cpu.db / done * 1000, 1),
        },
        "locks": locks.figures(),
        **{k: v for k, v in checked.items() if k != "errors"},
        "error_count": len(checked["errors"]),
    }
    lat = fig["latency_ms"]
    print(
        f"  {label}: {len(order)} submissions ({len(sends)} keys + {len(again)} retries) in "
        f"{wall:.2f} s = {fig['submissions_per_s']}/s; p50 {lat['p50']:.0f} ms, "
        f"p90 {lat['p90']:.0f} ms, p99 {lat['p99']:.0f} ms; {len(checked['errors'])} errors",
        flush=True,
    )
    print(
        f"    work orders opened {checked['work_orders_opened']}, accepted keys "
        f"{checked['accepted_keys']}, keys with several work orders "
        f"{checked['keys_with_several_work_orders']}, replayed {fig['replayed_responses']}; "
        f"CPU/submission gunicorn {fig['cpu_ms_per_submission']['gunicorn']} ms, database "
        f"{fig['cpu_ms_per_submission']['database']} ms; waits {fig['locks']}",
        flush=True,
    )
    for e in checked["errors"][:10]:
        print(f"    error: {e}")
    return fig


def main() -> None:
    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--requests", type=int, default=300, help="distinct submissions")
    p.add_argument("--retries", type=int, default=30, help="keys sent a second time")
    p.add_argument("--concurrency", type=int, default=0, help="in flight (0 = all at once)")
    p.add_argument("--sustained", type=int, default=0, help="then N submissions in a stream")
    p.add_argument("--sustained-concurrency", type=int, default=50)
    p.add_argument("--photo-share", type=float, default=0.0, help="share with one photo")
    p.add_argument("--workers", type=int, default=3)
    p.add_argument("--worker-class", default="sync")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--port", type=int, default=8772)
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--profile", type=int, default=0, help="cProfile N in-process submissions")
    args = p.parse_args()
    if common.vendor(args.database_url) != "postgresql":
        raise SystemExit("service_intake.py measures PostgreSQL (data from service_data.py)")
    os.environ.setdefault("ATTACHMENT_ROOT", str(common.OUT / "attachments"))
    common.setup(args)
    from django.urls import Resolver404, resolve

    try:
        resolve("/api/v1/repair-requests/")
    except Resolver404:
        raise SystemExit(
            "POST /api/v1/repair-requests/ is not in this checkout: nothing to measure"
        )
    token = common.api_token("bench-intake-api", "agent")
    units = pick_units(args.requests + args.sustained + 1 + args.profile, args.seed)
    if args.profile:
        profile(token, units[-args.profile - 1 : -1], args.seed)
        units = units[: -args.profile - 1] + units[-1:]
    figures: dict = {"server": f"gunicorn -w {args.workers} -k {args.worker_class}"}
    print("queries per submission (in-process):", flush=True)
    one = payloads(units[-1:], args.seed, 0)[0][1]
    figures["sql_per_submission"] = queries_per_submission(token, one)
    print(f"  {figures['sql_per_submission']}", flush=True)
    if args.requests:
        figures["burst"] = run(
            args, token, units[: args.requests], "burst", args.retries, args.concurrency or 10**6
        )
    if args.sustained:
        figures["sustained"] = run(
            args,
            token,
            units[args.requests : args.requests + args.sustained],
            "sustained",
            0,
            args.sustained_concurrency,
        )
    common.report(args, "service_intake", figures)
    for b in (figures.get("burst"), figures.get("sustained")):
        if b and (b["error_count"] or b["keys_with_several_work_orders"] or b["numbers_twice"]):
            raise SystemExit("errors or duplicate work orders: see above")


if __name__ == "__main__":
    main()
