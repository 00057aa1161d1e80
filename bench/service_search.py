"""Agent search under load: p50/p90/p99 per kind of query at concurrency 8 (PostgreSQL).

Runs against the data of ``service_data.py`` (1,000,000 customers, 5,000,000 units,
1,000,000 work orders) and asks what agents ask, sampled from that data:

- ``phone``: a customer's whole mobile number; ``phone4``: its last four digits;
- ``serial``: a unit's whole serial; ``serial_prefix``: its first 8–12 characters (what
  an agent has typed when the live search fires);
- ``name``: a customer's full name (common names: 王伟 matches many);
- ``wo``: a work-order number.

Two ways, one after the other, alternating per round (``--rounds``) so the machine's
drift does not favour one:

- ``direct``: ``--concurrency`` threads, each with its own database connection, call
  ``unitrace.service.search.search`` as an agent; the time is the function call;
- ``http``: gunicorn (``-w 3 -k sync``, as docs/operations.md runs it on two cores) and
  the same number of keep-alive clients on ``GET /api/v1/service-search/?q=`` with an
  agent's API token; "server" is the application's ``Server-Timing: app;dur=``.

Every query is also counted: how many queries of each kind found something (a search
that finds nothing is fast for the wrong reason) and how many SQL queries one search
costs. ``--explain`` prints ``EXPLAIN (ANALYZE, BUFFERS)`` of every SQL query of one
search per kind.

    .venv/bin/python bench/service_search.py \\
        --database-url postgres://postgres@127.0.0.1:5432/unitrace_bench_service
    .venv/bin/python bench/service_search.py --modes direct --per-kind 200 --explain \\
        --database-url postgres://postgres@127.0.0.1:5432/unitrace_bench_service
"""

from __future__ import annotations

import http.client
import random
import re
import threading
import time
from urllib.parse import quote

import common

KINDS = ("phone", "phone4", "serial", "serial_prefix", "name", "wo")
TARGET_P99_MS = 50.0


def _sample(cursor, sql_from: str, columns: str, where: str, count: int, seed: int) -> list:
    """About ``count`` random rows (BERNOULLI sampling sized from the table's statistics:
    rows from all over the table, without sorting millions by random())."""
    cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [sql_from])
    total = max(1.0, float(cursor.fetchone()[0]))
    percent = min(100.0, 100.0 * count * 3 / total)
    cursor.execute(
        f"SELECT {columns} FROM {sql_from} TABLESAMPLE BERNOULLI (%s) REPEATABLE (%s) "
        f"WHERE {where} LIMIT %s",
        [percent, seed, count],
    )
    return cursor.fetchall()


def sample_queries(per_kind: int, seed: int) -> list[tuple[str, str]]:
    """``per_kind`` queries of every kind, sampled from the data."""
    from django.db import connection

    rng = random.Random(seed)
    out: list[tuple[str, str]] = []
    with connection.cursor() as cursor:
        customer = "kind = 'customer' AND phone <> ''"
        people = _sample(cursor, "parties_party", "phone, name", customer, per_kind * 2, seed)
        serials = [r[0] for r in _sample(cursor, "serials_unit", "serial", "true", per_kind, seed)]
        numbers = [
            r[0] for r in _sample(cursor, "service_workorder", "number", "true", per_kind, seed)
        ]
    if not people or not serials or not numbers:
        raise SystemExit("no data: build it first with bench/service_data.py")
    rng.shuffle(people)
    rng.shuffle(serials)
    for i in range(per_kind):
        phone = people[i % len(people)][0]
        serial = serials[i % len(serials)]
        out += [
            ("phone", phone),
            ("phone4", phone[-4:]),
            ("serial", serial),
            ("serial_prefix", serial[: rng.randint(8, 12)]),
            ("name", people[(i + per_kind) % len(people)][1]),
            ("wo", numbers[i % len(numbers)]),
        ]
    rng.shuffle(out)
    return out


def agent():
    from django.contrib.auth import get_user_model

    token = common.api_token("bench-search-agent", "agent")
    return get_user_model().objects.get(username="bench-search-agent"), token


def run_direct(user, queries, concurrency: int) -> tuple[dict, list[str], float, dict]:
    """Each thread calls ``search`` with its own connection; ms per kind, failures, wall."""
    from django.db import connection

    from unitrace.service import search as agent_search

    lock = threading.Lock()
    position = [0]
    times: dict[str, list[float]] = {k: [] for k in KINDS}
    found: dict[str, int] = dict.fromkeys(KINDS, 0)
    failures: list[str] = []

    def worker() -> None:
        mine: list[tuple[str, float, bool]] = []
        try:
            while True:
                with lock:
                    if position[0] >= len(queries):
                        break
                    kind, q = queries[position[0]]
                    position[0] += 1
                start = time.perf_counter()
                try:
                    result = agent_search.search(user, q)
                except Exception as exc:  # reported; the run goes on
                    failures.append(f"{kind} {q!r}: {exc!r}")
                    continue
                mine.append((kind, (time.perf_counter() - start) * 1000, result.count > 0))
        finally:
            connection.close()
        with lock:
            for kind, ms, hit in mine:
                times[kind].append(ms)
                found[kind] += hit

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    start = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return times, failures, time.perf_counter() - start, found


def run_http(port: int, token: str, queries, concurrency: int) -> tuple[dict, dict, list, float]:
    """Keep-alive clients on the API; client and server (``Server-Timing``) ms per kind."""
    lock = threading.Lock()
    position = [0]
    client: dict[str, list[float]] = {k: [] for k in KINDS}
    server: dict[str, list[float]] = {k: [] for k in KINDS}
    failures: list[str] = []
    headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
    timing = re.compile(r"app;dur=([0-9.]+)")

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: list[tuple[str, float, float | None]] = []
        while True:
            with lock:
                if position[0] >= len(queries):
                    break
                kind, q = queries[position[0]]
                position[0] += 1
            start = time.perf_counter()
            try:
                conn.request("GET", f"/api/v1/service-search/?q={quote(q)}", headers=headers)
                resp = conn.getresponse()
                body = resp.read()
            except (OSError, http.client.HTTPException) as exc:
                failures.append(f"{kind} {q!r}: {exc!r}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                continue
            elapsed = (time.perf_counter() - start) * 1000
            if resp.status != 200:
                failures.append(f"{kind} {q!r}: HTTP {resp.status} {body[:200]!r}")
                continue
            match = timing.search(resp.getheader("Server-Timing") or "")
            mine.append((kind, elapsed, float(match.group(1)) if match else None))
            if resp.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.close()
        with lock:
            for kind, c_ms, s_ms in mine:
                client[kind].append(c_ms)
                if s_ms is not None:
                    server[kind].append(s_ms)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    start = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return client, server, failures, time.perf_counter() - start


def query_costs(user, queries, explain: bool) -> dict:
    """SQL queries per search, one sample per kind (with their plans when asked)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from unitrace.service import search as agent_search

    out = {}
    for kind in sorted({k for k, _q in queries}, key=KINDS.index):
        q = next(q for k, q in queries if k == kind)
        with CaptureQueriesContext(connection) as ctx:
            result = agent_search.search(user, q)
        out[kind] = len(ctx.captured_queries)
        print(f"  {kind} {q!r}: {len(ctx.captured_queries)} SQL queries, {result.count} hits")
        if explain:
            for captured in ctx.captured_queries:
                sql = captured["sql"]
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                    plan = "\n".join("      " + r[0] for r in cursor.fetchall())
                print(f"    {sql[:300]}\n{plan}", flush=True)
    return out


def merge(into: dict, more: dict) -> None:
    for kind, values in more.items():
        into.setdefault(kind, []).extend(values)


def per_kind(samples: dict) -> dict:
    return {kind: common.summary(values) for kind, values in samples.items() if values}


def show(label: str, summaries: dict) -> None:
    for kind, s in summaries.items():
        verdict = "ok" if s["p99"] <= TARGET_P99_MS else f"MISSES {TARGET_P99_MS:.0f} ms"
        print(
            f"  {label} {kind:14} p50 {s['p50']:7.2f}  p90 {s['p90']:7.2f}  "
            f"p99 {s['p99']:7.2f}  max {s['max']:7.2f} ms  {verdict}",
            flush=True,
        )


def main() -> None:
    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--per-kind", type=int, default=500, help="queries of each kind per round")
    p.add_argument("--rounds", type=int, default=2, help="rounds, modes alternating")
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--modes", default="direct,http", help="direct,http")
    p.add_argument("--warmup", type=int, default=300, help="uncounted queries first")
    p.add_argument("--workers", type=int, default=3)
    p.add_argument("--worker-class", default="sync")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--port", type=int, default=8771)
    p.add_argument("--explain", action="store_true", help="plans of one search per kind")
    p.add_argument("--seed", type=int, default=5)
    p.add_argument("--kinds", default=",".join(KINDS), help="which kinds of query")
    args = p.parse_args()
    kinds = {k.strip() for k in args.kinds.split(",") if k.strip()}
    if not kinds <= set(KINDS):
        raise SystemExit(f"--kinds: choose from {', '.join(KINDS)}")
    if common.vendor(args.database_url) != "postgresql":
        raise SystemExit("service_search.py measures PostgreSQL (data from service_data.py)")
    common.setup(args)
    try:
        from unitrace.service import search as _landed  # noqa: F401
    except ImportError:
        raise SystemExit("unitrace.service.search is not in this checkout: nothing to measure")
    import unit_file  # gunicorn start/stop shared with the unit-file benchmark
    from django.db import connection

    from unitrace.parties.models import Party
    from unitrace.serials.models import Unit
    from unitrace.service.models import WorkOrder

    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    user, token = agent()
    sizes = {
        "customers": Party.objects.filter(kind="customer").count(),
        "units": Unit.objects.count(),
        "work_orders": WorkOrder.objects.count(),
    }
    print(f"data: {sizes}", flush=True)
    figures: dict = {**sizes, "concurrency": args.concurrency, "per_kind": args.per_kind}
    warm = [
        q
        for q in sample_queries(max(1, args.warmup // len(kinds)), args.seed + 99)
        if q[0] in kinds
    ]
    figures["sql_queries_per_search"] = query_costs(user, warm, args.explain)

    direct: dict = {}
    found: dict = dict.fromkeys(KINDS, 0)
    asked: dict = dict.fromkeys(KINDS, 0)
    client: dict = {}
    server: dict = {}
    failures: list[str] = []
    walls: dict = {"direct": 0.0, "http": 0.0}
    counts: dict = {"direct": 0, "http": 0}
    proc = None
    try:
        if "http" in modes:
            connection.close()
            proc = unit_file.start_gunicorn(args, args.database_url)
        for r in range(args.rounds):
            queries = [q for q in sample_queries(args.per_kind, args.seed + r) if q[0] in kinds]
            order = modes if r % 2 == 0 else list(reversed(modes))
            for mode in order:
                if mode == "direct":
                    run_direct(user, warm, args.concurrency)
                    times, fails, wall, hits = run_direct(user, queries, args.concurrency)
                    merge(direct, times)
                    for kind in KINDS:
                        found[kind] += hits[kind]
                        asked[kind] += len(times[kind])
                else:
                    run_http(args.port, token, warm, args.concurrency)
                    c, s, fails, wall = run_http(args.port, token, queries, args.concurrency)
                    merge(client, c)
                    merge(server, s)
                walls[mode] += wall
                counts[mode] += len(queries)
                failures += fails
                print(
                    f"  round {r + 1} {mode}: {len(queries):,} searches in {wall:.1f} s "
                    f"({len(queries) / wall:,.0f}/s), {len(fails)} failures",
                    flush=True,
                )
    finally:
        if proc is not None:
            unit_file.stop(proc)
    if direct:
        figures["direct_ms"] = per_kind(direct)
        figures["direct_searches_per_s"] = round(counts["direct"] / walls["direct"], 1)
        figures["found_share"] = {k: round(found[k] / asked[k], 3) for k in KINDS if asked[k]}
        show("direct", figures["direct_ms"])
        print(f"  share of searches that found something: {figures['found_share']}")
    if server:
        figures["server"] = f"gunicorn -w {args.workers} -k {args.worker_class}"
        figures["http_server_ms"] = per_kind(server)
        figures["http_client_ms"] = per_kind(client)
        figures["http_searches_per_s"] = round(counts["http"] / walls["http"], 1)
        show("http server", figures["http_server_ms"])
        show("http client", figures["http_client_ms"])
    figures["failures"] = len(failures)
    for f in failures[:10]:
        print(f"  failure: {f}")
    common.report(args, "service_search", figures)
    if failures:
        raise SystemExit(f"{len(failures)} searches failed")


if __name__ == "__main__":
    main()
