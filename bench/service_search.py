"""Agent search (``service.search.search``) over many customers, units and work orders.

Builds the rows with set-based SQL on PostgreSQL (``generate_series``: minutes, not
hours, for millions of rows), then:

* prints the plan (``EXPLAIN ANALYZE``) of every query one search of each kind asks, so
  an unanchored scan or a walk of the wrong index shows at once;
* times ``search()`` for a mix of texts — whole phone, last four digits, whole serial,
  partial serial, name, work-order number — sequentially and from ``--concurrency``
  threads, each with its own database connection (the server-side latency of the page
  and the API is this call plus rendering).

Usage::

    .venv/bin/python bench/service_search.py --fresh \\
        --database-url postgres://postgres@127.0.0.1:5432/unitrace_search_bench \\
        --customers 1000000 --units 5000000 --work-orders 1000000
"""

from __future__ import annotations

import random
import threading
import time

import common

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华平刚桂兰玉萍红建国志文斌辉宇鹏飞"


def build(customers: int, units: int, work_orders: int) -> None:
    from django.db import connection

    sku = common.make_sku("BENCH-AC", name="基准空调")
    n_given = len(GIVEN)
    with connection.cursor() as cursor, common.timed(f"{customers:,} customers"):
        # phones: 13 + 9 digits from i * 7919 mod 1e9 (7919 is prime: all distinct);
        # every 50th customer is a company whose name has the person's name inside it
        cursor.execute(
            f"""
            INSERT INTO parties_party (kind, code, name, is_company, contact, phone,
                phone_tail, province, city, district, address, active, adcode,
                address_issue, address_resolved, location_exact)
            SELECT 'customer', 'BC' || lpad(i::text, 8, '0'),
                CASE WHEN i % 50 = 0 THEN '杭州' || nm || '电器有限公司' ELSE nm END,
                i % 50 = 0, '', ph, right(ph, 4), '浙江省', '杭州市', '西湖区',
                '文三路 ' || i || ' 号', true, '330106', '', true, false
            FROM generate_series(1, {customers}) AS i,
            LATERAL (SELECT '13' || lpad(((i::bigint * 7919) % 1000000000)::text, 9, '0')
                     AS ph,
                     substr('{SURNAMES}', 1 + i % {len(SURNAMES)}, 1)
                     || substr('{GIVEN}', 1 + (i / {len(SURNAMES)}) % {n_given}, 1)
                     || substr('{GIVEN}', 1 + (i / {len(SURNAMES) * n_given}) % {n_given}, 1)
                     AS nm) AS x
            """
        )
        cursor.execute("SELECT min(id) FROM parties_party WHERE code LIKE 'BC%%'")
        first_customer = cursor.fetchone()[0]
    with connection.cursor() as cursor, common.timed(f"{units:,} units"):
        cursor.execute(
            f"""
            INSERT INTO serials_unit (serial, supplier_serial, public_token, status,
                event_count, sku_id, holder_id, sold_at)
            SELECT 'AC' || lpad(i::text, 10, '0'), '', substr(md5(i::text), 1, 22), 'sold',
                0, {sku.pk}, {first_customer} + (i % {customers}),
                now() - (i % 1000) * interval '1 day'
            FROM generate_series(1, {units}) AS i
            """
        )
        cursor.execute("SELECT min(id) FROM serials_unit WHERE sku_id = %s", [sku.pk])
        first_unit = cursor.fetchone()[0]
    with connection.cursor() as cursor, common.timed(f"{work_orders:,} work orders"):
        # one in five still open; each on a unit, for the unit's holder, with the phone
        cursor.execute(
            f"""
            INSERT INTO service_workorder (number, kind, priority, mode, channel, state,
                resume_state, serial_given, contact_name, contact_phone, contact_phone_tail,
                address, adcode, address_resolved, address_issue, location_exact,
                description, notes, resolution, cancel_reason, courier_in, tracking_in,
                courier_out, tracking_out, entitlement, flag_count, reopen_count,
                opened_at, updated_at, public_token, unit_id, customer_id)
            SELECT 'WO-20261201-' || lpad(i::text, 6, '0'), 'repair', 'normal', 'on_site',
                'agent', CASE WHEN i % 5 = 0 THEN 'new' ELSE 'closed' END, '', '',
                p.name, p.phone, p.phone_tail, p.address, '330106', true, '', false,
                '', '', '', '', '', '', '', '', '{{}}', 0, 0,
                now() - (i % 700) * interval '1 hour', now(), md5('wo' || i::text),
                u.id, p.id
            FROM generate_series(1, {work_orders}) AS i
            JOIN serials_unit u ON u.id = {first_unit} + ((i::bigint * 5) % {units})
            JOIN parties_party p ON p.id = u.holder_id
            """
        )
    with connection.cursor() as cursor, common.timed("analyze"):
        cursor.execute("ANALYZE parties_party, serials_unit, service_workorder")


def texts(customers: int, units: int, work_orders: int) -> dict[str, list[str]]:
    """Search texts an agent types, drawn over the whole data set."""
    rng = random.Random(7)

    def phone(i: int) -> str:
        return "13" + f"{(i * 7919) % 1_000_000_000:09d}"

    def name(i: int) -> str:
        s, g = len(SURNAMES), len(GIVEN)
        return SURNAMES[i % s] + GIVEN[(i // s) % g] + GIVEN[(i // (s * g)) % g]

    picks = [rng.randint(1, customers) for _ in range(200)]
    unit_picks = [rng.randint(1, units) for _ in range(200)]
    return {
        "phone": [phone(i) for i in picks],
        "phone_tail": [phone(i)[-4:] for i in picks],
        "serial": [f"AC{i:010d}" for i in unit_picks],
        "serial_prefix": [f"ac{i:010d}"[:9] for i in unit_picks],
        "name": [name(i) for i in picks],
        "name_inside": [name(i)[1:] + "电器" for i in picks],  # only inside companies' names
        "wo_number": [f"WO-20261201-{rng.randint(1, work_orders):06d}" for _ in range(200)],
    }


def explain(user, samples: dict[str, list[str]]) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from unitrace.service.search import search

    for kind, values in samples.items():
        with CaptureQueriesContext(connection) as queries:
            search(user, values[0])
        print(f"\n## {kind}: {values[0]!r}")
        for query in queries:
            sql = query["sql"]
            if not sql.startswith("SELECT") or "auth_permission" in sql:
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql)
                plan = [row[0] for row in cursor.fetchall()]
            print("  " + sql[:160].replace("\n", " ") + " ...")
            for line in plan:
                if any(k in line for k in ("Scan", "Sort", "Limit", "Execution", "Rows Rem")):
                    print("    " + line.strip())


def measure(user_id: int, samples: dict[str, list[str]], concurrency: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from unitrace.service.search import search

    timings: dict[str, list[float]] = {kind: [] for kind in samples}
    work = [(kind, text) for kind, values in samples.items() for text in values]
    random.Random(3).shuffle(work)
    lock = threading.Lock()
    position = {"next": 0}

    def worker() -> None:
        user = get_user_model().objects.get(pk=user_id)
        search(user, "warm-up")
        while True:
            with lock:
                if position["next"] >= len(work):
                    break
                kind, text = work[position["next"]]
                position["next"] += 1
            t = time.perf_counter()
            search(user, text)
            elapsed = (time.perf_counter() - t) * 1000
            with lock:
                timings[kind].append(elapsed)
        connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    everything = [t for values in timings.values() for t in values]
    return {
        "concurrency": concurrency,
        "searches": len(everything),
        "per_second": round(len(everything) / wall, 1),
        "all_ms": common.summary(everything),
        **{f"{kind}_ms": common.summary(values) for kind, values in timings.items()},
    }


def main() -> None:
    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--customers", type=int, default=300_000)
    p.add_argument("--units", type=int, default=1_500_000)
    p.add_argument("--work-orders", type=int, default=300_000)
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--skip-build", action="store_true", help="reuse the rows already there")
    args = p.parse_args()
    if common.vendor(args.database_url) != "postgresql":
        raise SystemExit("this benchmark builds its rows with PostgreSQL's generate_series")
    common.setup(args)
    if not args.skip_build:
        build(args.customers, args.units, args.work_orders)
    from unitrace.accounts.services import create_user

    user = create_user("bench-agent", "bench-password-not-secret", "agent")
    samples = texts(args.customers, args.units, args.work_orders)
    explain(user, samples)
    figures = {
        "rows": {
            "customers": args.customers,
            "units": args.units,
            "work_orders": args.work_orders,
        },
        "sequential": measure(user.pk, samples, 1),
        "concurrent": measure(user.pk, samples, args.concurrency),
    }
    for name in ("sequential", "concurrent"):
        run = figures[name]
        print(f"\n# {name} (concurrency {run['concurrency']}): {run['per_second']} searches/s")
        for key, value in run.items():
            if key.endswith("_ms"):
                print(f"  {key[:-3]:>14}: p50 {value['p50']} p99 {value['p99']} ms")
    common.report(args, "service_search", figures)


if __name__ == "__main__":
    main()
