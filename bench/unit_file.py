"""The unit file under load: GET /api/v1/units/{id}/ over 1,000,000 units / 5,000,000 events.

Build (skipped with ``--skip-build`` when the database already holds the data):

- four SKUs: an air conditioner (AC-9000) that takes a compressor and a control board,
  and a control board that takes a Wi-Fi module, so component trees are up to three
  levels deep (product > board > module);
- units registered with ``register_units`` per SKU and production day (with batches);
- the remaining events (receipt, moves, shipment, delivery, activation, installation,
  service visits, repairs; fitting of components) in time order per unit, written with
  COPY on PostgreSQL (``executemany`` on SQLite) pass by pass, so one unit's events are
  spread over the table as they would be after months of use; component links; then each
  unit's derived state (status, place, holder, dates) as the ledger would have left it.

Load: gunicorn (``-w 3 -k sync`` by default, as docs/operations.md deploys it behind nginx;
``--worker-class gthread`` for threads) and a Python driver with
``--concurrency`` keep-alive connections asking for random units with an API token.
Client-side latency and the server's own ``Server-Timing: app;dur=`` are reported.

    .venv/bin/python bench/unit_file.py --fresh \\
        --database-url postgres://postgres@127.0.0.1:5432/unitrace_bench_file
    .venv/bin/python bench/unit_file.py --skip-build --requests 5000 \\
        --database-url postgres://postgres@127.0.0.1:5432/unitrace_bench_file
    .venv/bin/python bench/unit_file.py --fresh --units 100000 --events 500000   # SQLite
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import common

DAY = 86400.0
HOUR = 3600.0
LIFECYCLE = [
    "received",
    "moved",
    "shipped",
    "delivered",
    "activated",
    "installed",
    "serviced",
    "serviced",
    "service_in",
    "repaired",
]
REGIONS = ["浙江省杭州市", "江苏省苏州市", "广东省深圳市", "上海市浦东新区", "四川省成都市"]
NOTES = {
    "installed": "安装完成，试机正常",
    "serviced": "例行保养，清洗滤网",
    "service_in": "不制冷，送修",
    "repaired": "更换启动电容",
}
EVENT_COLUMNS = [
    "unit_id",
    "type",
    "occurred_at",
    "recorded_at",
    "actor_id",
    "actor_name",
    "source",
    "ip_address",
    "warehouse_id",
    "party_id",
    "region",
    "ref_type",
    "ref_id",
    "notes",
    "details",
    "from_status",
    "to_status",
]
STATE_FIELDS = [
    "status",
    "warehouse_id",
    "holder_id",
    "distributor_id",
    "parent_id",
    "received_at",
    "shipped_at",
    "sold_at",
    "activated_at",
    "installed_at",
    "last_event_at",
    "event_count",
]


# --- building the data -------------------------------------------------------------------------


class Sink:
    """Rows into one table: COPY text on PostgreSQL, executemany on SQLite."""

    def __init__(self, table: str, columns: list[str]):
        from django.db import connection

        self.table, self.columns = table, columns
        self.postgres = connection.vendor == "postgresql"
        self.rows = 0

    def write(self, rows) -> None:
        """``rows``: iterable of tuples (None = NULL, datetimes as epoch seconds)."""
        from django.db import connection, transaction

        with transaction.atomic(), connection.cursor() as cursor:
            if self.postgres:
                cols = ", ".join(self.columns)
                with cursor.cursor.copy(f"COPY {self.table} ({cols}) FROM STDIN") as copy:
                    block = []
                    for row in rows:
                        block.append("\t".join(_pg(v) for v in row))
                        if len(block) >= 5000:
                            copy.write("\n".join(block) + "\n")
                            self.rows += len(block)
                            block = []
                    if block:
                        copy.write("\n".join(block) + "\n")
                        self.rows += len(block)
                return
            marks = ", ".join(["%s"] * len(self.columns))
            sql = f"INSERT INTO {self.table} ({', '.join(self.columns)}) VALUES ({marks})"
            block = []
            for row in rows:
                block.append(tuple(_lite(v) for v in row))
                if len(block) >= 20000:
                    cursor.executemany(sql, block)
                    self.rows += len(block)
                    block = []
            if block:
                cursor.executemany(sql, block)
                self.rows += len(block)


class Stamp(float):
    """Epoch seconds that are written as a timestamp."""


def _pg(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, Stamp):
        return datetime.fromtimestamp(value, UTC).isoformat()
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
    return str(value)


def _lite(value):
    if isinstance(value, Stamp):
        # Django keeps SQLite datetimes as naive UTC text.
        return datetime.fromtimestamp(value, UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


def gtin14(body: str) -> str:
    """13 digits plus the GS1 check digit."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)


def _exact_steps(rng: random.Random, count: int, total: int, low: int, high: int) -> list[int]:
    """``count`` step counts in [low, high] adding up to ``total``, spread out."""
    if not low * count <= total <= high * count:
        raise SystemExit(f"cannot spread {total:,} events over {count:,} products")
    base, extra = divmod(total, count)
    steps = [base] * count
    for i in rng.sample(range(count), extra):
        steps[i] += 1
    for _ in range(count * 2):  # move single steps around: same sum, wider spread
        a, b = rng.randrange(count), rng.randrange(count)
        if steps[a] > low and steps[b] < high:
            steps[a] -= 1
            steps[b] += 1
    return steps


def build(n_units: int, n_events: int, seed: int = 11) -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from unitrace.catalog.models import Batch, ComponentSpec
    from unitrace.serials.models import ComponentLink, Unit, UnitEvent
    from unitrace.serials.registration import NewUnit, register_units

    if Unit.objects.exists():
        raise SystemExit("the database already has units: use --fresh, or --skip-build")
    rng = random.Random(seed)
    figures: dict = {}
    t_all = time.perf_counter()

    product = common.make_sku(
        "AC-9000", name="变频空调室外机 AC-9000", warranty_months=36, gtin=gtin14("0690123456789")
    )
    compressor = common.make_sku("CMP-900", name="旋转式压缩机 CMP-900")
    board = common.make_sku("PCB-900", name="主控板 PCB-900")
    module = common.make_sku("WIFI-9", name="Wi-Fi 模块 WIFI-9")
    ComponentSpec.objects.get_or_create(
        parent=product, component=compressor, defaults={"position": "压缩机"}
    )
    ComponentSpec.objects.get_or_create(
        parent=product, component=board, defaults={"position": "主控板"}
    )
    ComponentSpec.objects.get_or_create(
        parent=board, component=module, defaults={"position": "通信模块"}
    )
    warehouses = [w.pk for w in common.make_warehouses(5)]
    distributors = [p.pk for p in common.make_parties("distributor", 50, prefix="BD")]
    customers = [p.pk for p in common.make_parties("customer", 20000, prefix="BC")]
    supplier = common.make_parties("supplier", 1, prefix="BS")[0]

    n_mod, n_board, n_cmp = n_units // 50, n_units * 8 // 100, n_units // 10
    n_prod = n_units - n_mod - n_board - n_cmp
    component_extra = 2 * n_mod + 2 * n_cmp + 2 * n_board + n_mod + n_board + n_cmp
    lifecycle_total = n_events - n_units - component_extra
    steps = _exact_steps(rng, n_prod, lifecycle_total, 1, len(LIFECYCLE))
    print(
        f"build: {n_prod:,} products, {n_cmp:,} compressors, {n_board:,} boards, "
        f"{n_mod:,} modules; {n_events:,} events",
        flush=True,
    )

    # Registration: one register_units call per SKU and production day.
    now = timezone.now().timestamp()
    days = 60
    first_day = now - 640 * DAY
    day_of = [i * days // n_prod for i in range(n_prod)]  # product i's production day
    t = time.perf_counter()
    serials = {
        "prod": [f"A9K{i:09d}" for i in range(n_prod)],
        "cmp": [f"CP{i:09d}" for i in range(n_cmp)],
        "board": [f"PB{i:09d}" for i in range(n_board)],
        "mod": [f"WM{i:09d}" for i in range(n_mod)],
    }
    skus = {"prod": product, "cmp": compressor, "board": board, "mod": module}
    # components of product i are made two days earlier (the module three days earlier).
    reg_offset = {
        "prod": 8 * HOUR,
        "cmp": -2 * DAY + 8 * HOUR,
        "board": -2 * DAY + 8 * HOUR,
        "mod": -3 * DAY + 8 * HOUR,
    }
    ids: dict[str, list[int]] = {}
    for kind, sku in skus.items():
        batches = {}
        for d in range(days):
            made = datetime.fromtimestamp(first_day + d * 10 * DAY + reg_offset[kind], UTC)
            batches[d], _ = Batch.objects.get_or_create(
                sku=sku,
                code=f"{sku.code[:3]}{made:%y%m%d}",
                defaults={
                    "production_date": made.date(),
                    "factory": "佛山工厂",
                    "line": f"L{d % 3 + 1}",
                    "qc_status": "passed",
                    "supplier": supplier if kind != "prod" else None,
                },
            )
        items_by_day: dict[int, list] = {}
        for i, serial in enumerate(serials[kind]):
            d = day_of[i]
            items_by_day.setdefault(d, []).append(
                NewUnit(serial, "", batches[d].pk, batches[d].production_date)
            )
        for d, items in sorted(items_by_day.items()):
            when = datetime.fromtimestamp(first_day + d * 10 * DAY + reg_offset[kind], UTC)
            register_units(
                sku, items, warehouse=None, when=when, ref_type="generate", ref_id=f"GEN-{kind}-{d}"
            )
        by_serial = dict(Unit.objects.filter(sku=sku).values_list("serial", "id"))
        ids[kind] = [by_serial[s] for s in serials[kind]]
    figures["register_units_s"] = round(time.perf_counter() - t, 1)
    print(
        f"  registered {n_units:,} units (register_units) in {figures['register_units_s']} s",
        flush=True,
    )

    # Derived state per unit, keyed by id, updated as events are generated.
    state: dict[int, list] = {}
    for kind in skus:
        for i, uid in enumerate(ids[kind]):
            t0 = first_day + day_of[i] * 10 * DAY + reg_offset[kind]
            # status, warehouse, holder, distributor, parent, received, shipped, sold,
            # activated, installed, last_event, count
            state[uid] = ["registered", None, None, None, None, None, None, None, None, None, t0, 1]

    def event(
        uid,
        kind,
        when,
        to_status,
        *,
        warehouse=None,
        party=None,
        region="",
        ref=("", ""),
        notes="",
        details=None,
        actor=("仓库管理员", "web"),
    ):
        s = state[uid]
        from_status = s[0]
        s[0] = to_status
        s[10] = when
        s[11] += 1
        return (
            uid,
            kind,
            Stamp(when),
            Stamp(when + rng.uniform(0.5, 30.0)),
            None,
            actor[0],
            actor[1],
            "10.8.0.12" if actor[1] == "web" else None,
            warehouse,
            party,
            region,
            ref[0],
            ref[1],
            notes,
            json.dumps(details, ensure_ascii=False) if details else "{}",
            from_status,
            to_status,
        )

    events = Sink(UnitEvent._meta.db_table, EVENT_COLUMNS)
    t = time.perf_counter()

    def t_prod(i):
        return first_day + day_of[i] * 10 * DAY + reg_offset["prod"]

    def t_comp(i):  # compressor and board of product i
        return first_day + day_of[i] * 10 * DAY + reg_offset["cmp"]

    # Pass 1: components received at the factory store.
    def received_components():
        for kind in ("mod", "cmp", "board"):
            for i, uid in enumerate(ids[kind]):
                when = t_comp(i) + (-DAY if kind == "mod" else 0) + 2 * HOUR
                state[uid][1] = warehouses[0]
                state[uid][5] = when
                yield event(
                    uid,
                    "received",
                    when,
                    "in_stock",
                    warehouse=warehouses[0],
                    ref=("receipt", f"RK{day_of[i]:04d}"),
                )

    events.write(received_components())

    # Pass 2: modules fitted into boards.
    links: list[tuple] = []

    def fit(parent_kind, i, child_kind, when, position):
        parent, child = ids[parent_kind][i], ids[child_kind][i]
        links.append((parent, child, Stamp(when), None, position))
        state[child][1] = None
        state[child][4] = parent
        yield event(
            child,
            "fitted",
            when,
            "fitted",
            details={"parent_id": parent, "parent_serial": serials[parent_kind][i]},
            ref=("work_order", f"WO{i:08d}"),
        )
        yield event(
            parent,
            "component_installed",
            when,
            state[parent][0],
            details={
                "component_id": child,
                "component_serial": serials[child_kind][i],
                "component_sku": skus[child_kind].code,
                "position": position,
            },
            ref=("work_order", f"WO{i:08d}"),
        )

    def modules_in_boards():
        for i in range(n_mod):
            yield from fit("board", i, "mod", t_comp(i) + DAY, "通信模块")

    events.write(modules_in_boards())

    # Pass 3: boards and compressors fitted into products on the assembly line.
    def assembly():
        for i in range(max(n_board, n_cmp)):
            if i < n_board:
                yield from fit("prod", i, "board", t_prod(i) + 1800, "主控板")
            if i < n_cmp:
                yield from fit("prod", i, "cmp", t_prod(i) + 2400, "压缩机")

    events.write(assembly())

    # Passes 4..: the products' lives, one step per pass.
    def lifecycle(step: int):
        kind = LIFECYCLE[step]
        for i, uid in enumerate(ids["prod"]):
            if steps[i] <= step:
                continue
            t0 = t_prod(i) + DAY
            span = now - t0 - DAY
            when = t0 + span * (step / len(LIFECYCLE) + rng.uniform(0, 0.05))
            s = state[uid]
            if kind == "received":
                w = warehouses[1 + i % 3]
                s[1], s[2], s[5] = w, None, s[5] or when
                yield event(
                    uid, kind, when, "in_stock", warehouse=w, ref=("receipt", f"RK{day_of[i]:04d}")
                )
            elif kind == "moved":
                w = warehouses[1 + (i + 1) % 3]
                s[1] = w
                yield event(
                    uid, kind, when, "in_stock", warehouse=w, ref=("transfer", f"TR{i // 500:06d}")
                )
            elif kind == "shipped":
                d = distributors[i % len(distributors)]
                s[1], s[2], s[6] = None, d, when
                yield event(
                    uid, kind, when, "shipped", party=d, ref=("delivery", f"DN{i // 200:07d}")
                )
            elif kind == "delivered":
                to_distributor = i % 10 < 3
                p = distributors[i % len(distributors)] if to_distributor else rng.choice(customers)
                s[2], s[7] = p, when
                if to_distributor:
                    s[3] = p
                yield event(
                    uid,
                    kind,
                    when,
                    "sold",
                    party=p,
                    details={"party_kind": "distributor" if to_distributor else "customer"},
                    ref=("delivery", f"DN{i // 200:07d}"),
                )
            elif kind == "activated":
                s[8] = when
                yield event(
                    uid, kind, when, "activated", region=rng.choice(REGIONS), actor=("", "public")
                )
            elif kind == "installed":
                s[9] = when
                yield event(
                    uid,
                    kind,
                    when,
                    "installed",
                    notes=NOTES[kind],
                    actor=("安装工程师", "api"),
                    ref=("work_order", f"IN{i:08d}"),
                )
            elif kind == "serviced":
                yield event(
                    uid,
                    kind,
                    when,
                    s[0],
                    notes=NOTES[kind],
                    actor=("服务工程师", "api"),
                    ref=("ticket", f"TK{i:08d}{step}"),
                )
            elif kind == "service_in":
                s[1] = warehouses[4]
                yield event(
                    uid,
                    kind,
                    when,
                    "in_service",
                    warehouse=warehouses[4],
                    notes=NOTES[kind],
                    ref=("ticket", f"TK{i:08d}"),
                )
            elif kind == "repaired":
                s[1] = None
                yield event(
                    uid,
                    kind,
                    when,
                    "installed" if s[9] else "activated",
                    notes=NOTES[kind],
                    actor=("维修工程师", "web"),
                    ref=("ticket", f"TK{i:08d}"),
                )

    for step in range(len(LIFECYCLE)):
        events.write(lifecycle(step))
    figures["extra_events"] = events.rows
    figures["events_s"] = round(time.perf_counter() - t, 1)
    print(
        f"  {events.rows:,} further events in {figures['events_s']} s "
        f"({events.rows / (time.perf_counter() - t):,.0f}/s)",
        flush=True,
    )

    t = time.perf_counter()
    Sink(
        ComponentLink._meta.db_table,
        ["parent_id", "component_id", "installed_at", "removed_at", "position"],
    ).write(links)
    figures["links"] = len(links)

    # The units' derived state, as the ledger would have left it.
    rows = (
        (uid, *s[:5], *(Stamp(x) if x else None for x in s[5:11]), s[11])
        for uid, s in state.items()
    )
    with transaction.atomic(), connection.cursor() as cursor:
        sets = ", ".join(f"{f} = s.{f}" for f in STATE_FIELDS)
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE TEMP TABLE unit_state (id bigint, status varchar(20), "
                "warehouse_id bigint, holder_id bigint, distributor_id bigint, "
                "parent_id bigint, received_at timestamptz, shipped_at timestamptz, "
                "sold_at timestamptz, activated_at timestamptz, installed_at timestamptz, "
                "last_event_at timestamptz, event_count integer) ON COMMIT DROP"
            )
            Sink("unit_state", ["id", *STATE_FIELDS]).write(rows)
            cursor.execute(
                f"UPDATE {Unit._meta.db_table} u SET {sets} FROM unit_state s WHERE u.id = s.id"
            )
        else:
            assigns = ", ".join(f"{f} = %s" for f in STATE_FIELDS)
            sql = f"UPDATE {Unit._meta.db_table} SET {assigns} WHERE id = %s"
            cursor.executemany(sql, [(*[_lite(v) for v in r[1:]], r[0]) for r in rows])
    figures["state_s"] = round(time.perf_counter() - t, 1)
    print(f"  {len(links):,} component links and unit state in {figures['state_s']} s", flush=True)

    t = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in (Unit, UnitEvent, ComponentLink):
                cursor.execute(f"VACUUM (ANALYZE) {table._meta.db_table}")
        else:
            cursor.execute("ANALYZE")
    figures["analyze_s"] = round(time.perf_counter() - t, 1)
    figures["build_s"] = round(time.perf_counter() - t_all, 1)
    print(
        f"  vacuum/analyze {figures['analyze_s']} s; build total {figures['build_s']} s", flush=True
    )
    return figures


# --- checks: queries per unit file and their plans ----------------------------------------------


def sample_units() -> dict[str, int]:
    """A deep component, a product with a full tree, a plain product."""
    from unitrace.serials.models import ComponentLink, Unit

    module_link = ComponentLink.objects.filter(component__sku__code="WIFI-9").first()
    board_id = module_link.parent_id if module_link else None
    top = ComponentLink.objects.filter(component_id=board_id).first() if board_id else None
    plain = Unit.objects.filter(sku__code="AC-9000", component_links__isnull=True).first()
    out = {"plain product": plain.pk if plain else None}
    if module_link:
        out["module (3 levels of where-used)"] = module_link.component_id
    if top:
        out["product with full tree"] = top.parent_id
    return {k: v for k, v in out.items() if v}


def query_counts(token: str, explain: bool) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    counts = {}
    for label, uid in sample_units().items():
        client.get(f"/api/v1/units/{uid}/")  # warm caches (content types etc.)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/api/v1/units/{uid}/")
        assert response.status_code == 200, response.content[:300]
        body = response.json()
        counts[label] = {
            "unit": uid,
            "queries": len(ctx.captured_queries),
            "events": len(body["events"]),
            "bytes": len(response.content),
        }
        print(
            f"  {label}: unit {uid}, {len(ctx.captured_queries)} queries, "
            f"{len(body['events'])} events, {len(response.content):,} bytes",
            flush=True,
        )
        if explain:
            for q in ctx.captured_queries:
                print_plan(q["sql"])
    return counts


def print_plan(sql: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) {sql}")
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        plan = [" ".join(str(c) for c in row) for row in cursor.fetchall()]
    print(f"    SQL: {sql[:160]}{'...' if len(sql) > 160 else ''}")
    for line in plan:
        if connection.vendor == "postgresql" and not re.search(
            r"Scan|Join|Loop|Execution Time|Sort|Hash|Aggregate", line
        ):
            continue
        print(f"      {line}")


# --- load ---------------------------------------------------------------------------------------


def start_gunicorn(args, url: str) -> subprocess.Popen:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "false",
        "SERVER_TIMING": "1",  # the server-side latency is read from this header
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"],
    }
    cmd = [
        str(gunicorn),
        "unitrace.wsgi",
        "-w",
        str(args.workers),
        "-k",
        args.worker_class,
        *(["--threads", str(args.threads)] if args.worker_class == "gthread" else []),
        "-b",
        f"127.0.0.1:{args.port}",
        "--log-level",
        "warning",
    ]
    print("  " + " ".join(cmd[1:]), flush=True)
    log = open(common.OUT / "gunicorn.log", "ab")  # noqa: SIM115 - lives as long as the server
    proc = subprocess.Popen(
        cmd, cwd=common.ROOT, env=env, stdout=log, stderr=log, start_new_session=True
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=5)
            conn.request("GET", "/api/v1/")
            conn.getresponse().read()
            return proc
        except OSError:
            if proc.poll() is not None:
                raise SystemExit("gunicorn exited; see bench/out/gunicorn.log")
            time.sleep(0.3)
    raise SystemExit("gunicorn did not come up in 60 s")


def stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def drive(port: int, token: str, ids: list[int], total: int, concurrency: int, seed: int):
    """``total`` GETs from ``concurrency`` keep-alive connections; returns the samples."""
    lock = threading.Lock()
    issued = [0]
    client_ms: list[float] = []
    server_ms: list[float] = []
    failures: list[str] = []
    headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
    timing = re.compile(r"app;dur=([0-9.]+)")

    def worker(n: int) -> None:
        rng = random.Random(seed * 100 + n)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine_c, mine_s = [], []
        while True:
            with lock:
                if issued[0] >= total:
                    break
                issued[0] += 1
            uid = rng.choice(ids)
            start = time.perf_counter()
            try:
                conn.request("GET", f"/api/v1/units/{uid}/", headers=headers)
                resp = conn.getresponse()
                resp.read()
            except (OSError, http.client.HTTPException) as exc:
                failures.append(f"{uid}: {exc!r}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                continue
            elapsed = (time.perf_counter() - start) * 1000
            if resp.status != 200:
                failures.append(f"{uid}: HTTP {resp.status}")
            mine_c.append(elapsed)
            match = timing.search(resp.getheader("Server-Timing") or "")
            if match:
                mine_s.append(float(match.group(1)))
            if resp.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.close()
        with lock:
            client_ms.extend(mine_c)
            server_ms.extend(mine_s)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    start = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.perf_counter() - start
    return client_ms, server_ms, failures, wall


def children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii") as fh:
                    if int(fh.read().rsplit(")", 1)[1].split()[1]) == pid:
                        out.append(int(entry))
            except OSError:
                continue
    return out


class ServerCpu:
    """CPU seconds of the gunicorn processes and of their database backends over a run.

    Backends are found in pg_stat_activity (this database, not this process) every half
    second, so connections that are opened and closed during the run are counted too.
    """

    def __init__(self, master: int, database: str | None):
        self.master, self.database = master, database
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self._stop = threading.Event()

    def _backends(self) -> list[int]:
        if self.database is None:
            return []
        import psycopg
        from django.db import connection

        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        params.pop("context", None)
        params["dbname"] = params.get("dbname") or self.database
        with psycopg.connect(**params, autocommit=True) as conn:
            rows = conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s "
                "AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
                [self.database],
            ).fetchall()
        return [r[0] for r in rows]

    def _sample(self) -> None:
        for pid in self._backends():
            used = common.cpu_seconds(pid)
            self.first.setdefault(pid, used)
            self.last[pid] = used

    def __enter__(self) -> ServerCpu:
        self.app_start = sum(common.cpu_seconds(p) for p in [self.master, *children(self.master)])
        self._sample()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()
        return self

    def _loop(self) -> None:
        while not self._stop.wait(0.5):
            self._sample()

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()
        self.app = sum(common.cpu_seconds(p) for p in [self.master, *children(self.master)])
        self.app -= self.app_start
        self.db = sum(self.last[p] - self.first[p] for p in self.last)


def load(args, token: str) -> dict:
    from django.db import connection

    from unitrace.serials.models import Unit, UnitEvent

    ids = list(Unit.objects.values_list("id", flat=True))
    n_events = UnitEvent.objects.count()
    print(f"load: {len(ids):,} units, {n_events:,} events in the database", flush=True)
    connection.close()
    proc = start_gunicorn(args, args.database_url)
    try:
        if args.warmup:
            _c, _s, _fails, wall = drive(args.port, token, ids, args.warmup, args.concurrency, 1)
            print(f"  warm-up: {args.warmup:,} requests in {wall:.1f} s", flush=True)
        database = (
            common.db_name(args.database_url)
            if common.vendor(args.database_url) == "postgresql"
            else None
        )
        client_cpu = time.process_time()
        with ServerCpu(proc.pid, database) as cpu:
            client_ms, server_ms, failures, wall = drive(
                args.port, token, ids, args.requests, args.concurrency, 2
            )
        client_cpu = time.process_time() - client_cpu
    finally:
        stop(proc)
    done = max(1, len(client_ms))
    per_request = {
        "app": cpu.app / done * 1000,
        "db": cpu.db / done * 1000,
        "driver": client_cpu / done * 1000,
    }
    figures = {
        "units": len(ids),
        "events": n_events,
        "requests": args.requests,
        "concurrency": args.concurrency,
        "server": f"gunicorn -w {args.workers} -k {args.worker_class}"
        + (f" --threads {args.threads}" if args.worker_class == "gthread" else ""),
        "requests_per_s": round(len(client_ms) / wall, 1),
        "failures": len(failures),
        "client_ms": common.summary(client_ms),
        "server_ms": common.summary(server_ms),
        "cpu_ms_per_request": {k: round(v, 2) for k, v in per_request.items()},
    }
    c, s = figures["client_ms"], figures["server_ms"]
    print(
        f"  {len(client_ms):,} responses in {wall:.1f} s = {figures['requests_per_s']} req/s, "
        f"{len(failures)} failures",
        flush=True,
    )
    print(f"  client ms: p50 {c['p50']}  p90 {c['p90']}  p99 {c['p99']}  max {c['max']}")
    print(f"  server ms: p50 {s['p50']}  p90 {s['p90']}  p99 {s['p99']}  max {s['max']}")
    print(
        "  CPU per request: gunicorn {app:.2f} ms, database {db:.2f} ms, "
        "load driver {driver:.2f} ms".format(**per_request)
    )
    for f in failures[:5]:
        print(f"  failure: {f}")
    return figures


def main() -> None:
    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--units", type=int, default=1_000_000)
    p.add_argument("--events", type=int, default=5_000_000, help="including registrations")
    p.add_argument("--skip-build", action="store_true", help="use the data already there")
    p.add_argument("--requests", type=int, default=20_000, help="0: no load test")
    p.add_argument("--warmup", type=int, default=1000, help="requests before measuring")
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--workers", type=int, default=3)
    p.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    p.add_argument(
        "--worker-class",
        default="sync",
        choices=["gthread", "sync"],
        help="sync: one request per worker at a time, the rest wait in the listen queue",
    )
    p.add_argument("--explain", action="store_true", help="print the plan of every query")
    args = p.parse_args()
    common.setup(args)
    figures: dict = {}
    if not args.skip_build:
        figures["build"] = build(args.units, args.events)
    token = common.api_token()
    print("unit file queries (in-process, after one warm-up request):", flush=True)
    figures["queries"] = query_counts(token, args.explain)
    if args.requests:
        figures["load"] = load(args, token)
    common.report(args, "unit_file", figures)


if __name__ == "__main__":
    main()
