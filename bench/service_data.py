"""After-sales data at full size: 1,000,000 customers, 5,000,000 units, 1,000,000 work orders.

The data the agent search and the intake benchmarks run against (PostgreSQL only):

- customers: private persons (``kind=customer``) with Chinese names (common surnames, so
  names repeat as they do in life), unique mobile numbers, and addresses in real
  districts with their division code and centroid;
- units: five appliance models, serials in the shape ``K35G2405`` + sequence + check
  character, each held by a customer (1–24 per customer, 5 on average), delivered or
  installed within months of production;
- work orders: opened over the last two years, mostly on a unit of the calling customer
  and from the customer's own phone (one in ten from another number), numbered as the
  service numbers them (``WO-YYYYMMDD-<id>``), in the states an order of that age would
  be in (old ones closed or cancelled, recent ones spread over every open state), with
  one transition row per step they took; units with an order on site or waiting for
  parts are 维修中 (``in_service``) as the ledger would have left them.

Rows go in with COPY in blocks of ``--chunk`` rows, one transaction each, and a small
progress table (``bench_progress``) records in the same transaction how far each stage
got: a run that is stopped continues where it stopped, and a finished stage is skipped.
Ids are taken from each table's own sequence, so the application inserts after it as
usual. Units carry the derived state only (status, holder, dates), not ledger events:
neither search nor intake reads the events, and 10,000,000 event rows would double the
build for nothing measured here.

    createdb -h 127.0.0.1 -U postgres unitrace_bench_service
    .venv/bin/python bench/service_data.py \\
        --database-url postgres://postgres@127.0.0.1:5432/unitrace_bench_service
    .venv/bin/python bench/service_data.py --fresh --customers 20000 --units 100000 \\
        --work-orders 20000 --database-url postgres://postgres@127.0.0.1:5432/unitrace_bench_svc_small
"""

from __future__ import annotations

import random
import secrets
import time
from array import array
from datetime import UTC, datetime

import common

DAY = 86400.0
HOUR = 3600.0
SURNAMES = (
    "王王王李李李张张张刘刘陈陈杨杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
    "肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱"
    "江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤欧阳诸葛"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英霞平刚桂兰辉玲华红建国文斌浩宇鹏飞婷雪梅琳"
    "晨欣怡佳子涵梓轩睿泽一诺子墨雨欣思彤俊杰志强海燕春晓东丹凤宁波玉珍秀云金凤德华晓峰"
)
MOBILE_PREFIXES = tuple(
    f"1{p}"
    for p in (*range(30, 40), *range(50, 60), 66, *range(73, 90), 91, 98, 99)
    if p not in (34, 54, 74, 79, 84)
)
STREETS = ("文三路", "中山路", "人民路", "解放路", "建设路", "长江路", "新华路", "和平路", "学院路")
# model code → (SKU code, name, warranty months)
MODELS = {
    "K35G": ("KFR-35GW", "挂壁式空调 KFR-35GW 1.5匹", 36),
    "K72L": ("KFR-72LW", "立柜式空调 KFR-72LW 3匹", 36),
    "W10B": ("XQG100-B", "滚筒洗衣机 XQG100-B 10公斤", 24),
    "R50T": ("BCD-500T", "十字对开门冰箱 BCD-500T", 36),
    "H60E": ("EWH-60E", "电热水器 EWH-60E 60升", 48),
}
FAULTS = {
    "COOL": (
        "制冷",
        "Cooling",
        [("E1", "不制冷", "Not cooling"), ("E2", "制冷慢", "Cools slowly")],
    ),
    "ELEC": ("电气", "Electrical", [("E5", "不开机", "Does not start"), ("E6", "跳闸", "Trips")]),
    "NOISE": ("噪音", "Noise", [("N1", "异响", "Abnormal noise")]),
    "LEAK": ("漏水", "Leak", [("L1", "室内机漏水", "Indoor unit leaks")]),
}
DESCRIPTIONS = (
    "开机半小时仍不制冷",
    "运行时有咔咔异响",
    "显示E5后停机",
    "室内机滴水",
    "遥控无反应",
)
CHECK_ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXY"

# the path a work order took to its present state (actions after "open")
PATHS = {
    "new": [],
    "assigned": ["assign"],
    "accepted": ["assign", "accept"],
    "travelling": ["assign", "accept", "start_travel"],
    "on_site": ["assign", "accept", "start_travel", "arrive"],
    "waiting_parts": ["assign", "accept", "start_travel", "arrive", "wait_parts"],
    "waiting_customer": ["assign", "wait_customer"],
    "resolved": ["assign", "accept", "start_travel", "arrive", "resolve"],
    "closed": ["assign", "accept", "start_travel", "arrive", "resolve", "close"],
    "cancelled": ["cancel"],
}
TARGET = {
    "assign": "assigned",
    "accept": "accepted",
    "start_travel": "travelling",
    "arrive": "on_site",
    "wait_parts": "waiting_parts",
    "wait_customer": "waiting_customer",
    "resolve": "resolved",
    "close": "closed",
    "cancel": "cancelled",
}
REASONS = {
    "wait_parts": "等待压缩机到货",
    "wait_customer": "客户改约时间",
    "cancel": "客户自行解决",
}
RECENT_STATES = (
    ("new", 10),
    ("assigned", 10),
    ("accepted", 8),
    ("travelling", 5),
    ("on_site", 10),
    ("waiting_parts", 8),
    ("waiting_customer", 5),
    ("resolved", 14),
    ("closed", 25),
    ("cancelled", 5),
)
OLD_STATES = (("closed", 92), ("cancelled", 6), ("resolved", 2))


# --- COPY plumbing -------------------------------------------------------------------------------


def ts(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat()


class Table:
    """COPY text lines for one model: the columns this script fills, then every other
    column at its model default (so fields added later by other work still load)."""

    def __init__(self, model, columns: list[str]):
        from django.db import connection

        from unitrace.core.pgcopy import copy_text

        self.model = model
        self.table = model._meta.db_table
        by_column = {f.column: f for f in model._meta.concrete_fields}
        unknown = set(columns) - set(by_column)
        if unknown:
            raise SystemExit(f"{self.table} has no column(s) {sorted(unknown)}")
        rest = [c for c in by_column if c not in columns and c != "id"]
        suffix = []
        for column in rest:
            field = by_column[column]
            value = field.get_default() if field.has_default() else None
            if value is None and not field.null and field.empty_strings_allowed:
                value = ""
            prepared = field.get_db_prep_save(value, connection)
            if hasattr(prepared, "dumps"):  # psycopg Jsonb wrapper
                prepared = prepared.dumps(prepared.obj)
            suffix.append(copy_text(prepared))
        self.columns = columns + rest
        self.suffix = ("\t" + "\t".join(suffix)) if suffix else ""

    def line(self, values: list[str]) -> str:
        return "\t".join(values) + self.suffix + "\n"

    def copy(self, lines) -> None:
        from unitrace.core.pgcopy import copy_lines

        copy_lines(self.table, self.columns, lines)


def reserve_ids(model, count: int) -> list[int]:
    """``count`` ids from the table's own sequence (the application continues after them)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [model._meta.db_table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def progress_table() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_progress "
            "(stage text PRIMARY KEY, done bigint NOT NULL)"
        )


def done(stage: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT done FROM bench_progress WHERE stage = %s", [stage])
        row = cursor.fetchone()
    return row[0] if row else 0


def mark(stage: str, count: int) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_progress (stage, done) VALUES (%s, %s) "
            "ON CONFLICT (stage) DO UPDATE SET done = EXCLUDED.done",
            [stage, count],
        )


def drop_indexes(tables: list[str]) -> None:
    """Drop the secondary indexes (and unique constraints) of ``tables``, keeping their
    definitions in ``bench_ddl``: building an index once after the load is many times
    faster than updating it row by row for millions of random keys."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_ddl (name text PRIMARY KEY, tab text NOT NULL, "
            "is_constraint boolean NOT NULL, ddl text NOT NULL)"
        )
        for table in tables:
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid), c.conname, "
                "pg_get_constraintdef(c.oid) FROM pg_index i LEFT JOIN pg_constraint c "
                "ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype = 'u' "
                "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary",
                [table],
            )
            for index, index_ddl, constraint, constraint_ddl in cursor.fetchall():
                if constraint:
                    ddl = f'ALTER TABLE {table} ADD CONSTRAINT "{constraint}" {constraint_ddl}'
                    drop = f'ALTER TABLE {table} DROP CONSTRAINT "{constraint}"'
                else:
                    ddl, drop = index_ddl, f"DROP INDEX {index}"
                cursor.execute(
                    "INSERT INTO bench_ddl VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
                    [constraint or index, table, bool(constraint), ddl],
                )
                cursor.execute(drop)


def restore_indexes(tables: list[str]) -> float:
    """Build again what ``drop_indexes`` dropped (one after another: two cores)."""
    from django.db import connection

    t = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_ddl') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return 0.0
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute(
            "SELECT name, tab, ddl FROM bench_ddl WHERE tab = ANY(%s) ORDER BY tab, name",
            [tables],
        )
        for name, _table, ddl in cursor.fetchall():
            t1 = time.perf_counter()
            cursor.execute(ddl)
            cursor.execute("DELETE FROM bench_ddl WHERE name = %s", [name])
            print(f"    index {name}: {time.perf_counter() - t1:.1f} s", flush=True)
    return time.perf_counter() - t


def chunked(stage: str, total: int, chunk: int, write, tables: list[str]) -> float:
    """Run ``write(start, stop)`` block by block from where the stage stopped, with the
    tables' secondary indexes dropped during the load and built again at the end."""
    from django.db import transaction

    start = done(stage)
    if start >= total:
        print(f"  {stage}: {total:,} already there", flush=True)
        restore_indexes(tables)  # a run stopped while they were being built
        return 0.0
    t = time.perf_counter()
    drop_indexes(tables)
    first = start
    while start < total:
        stop = min(total, start + chunk)
        with transaction.atomic():
            write(start, stop)
            mark(stage, stop)
        rate = (stop - first) / max(time.perf_counter() - t, 1e-9)
        print(f"  {stage}: {stop:,}/{total:,} ({rate:,.0f} rows/s)", flush=True)
        start = stop
    print(f"  {stage}: loaded in {time.perf_counter() - t:.1f} s; indexes…", flush=True)
    restore_indexes(tables)
    return time.perf_counter() - t


# --- the data ------------------------------------------------------------------------------------


def districts() -> list[tuple[str, str, str, str, float, float]]:
    """(adcode, province, city, district, lat, lng) of the districts of big provinces."""
    from unitrace.geo import divisions

    table = divisions.index().by_code
    out = []
    for code, d in sorted(table.items()):
        if code[:2] not in {"11", "31", "32", "33", "44", "51", "42", "37", "35", "61"}:
            continue
        if code.endswith("00") or not d.centroid_of or d.latitude == 0.0:
            continue
        city = table.get(d.parent)
        province = table.get(code[:2] + "0000")
        if city is None or province is None:
            continue
        city_name = city.name if city.code != province.code else province.name
        out.append((code, province.name, city_name, d.name, d.latitude, d.longitude))
    if not out:
        raise SystemExit("no districts with centroids in the division dataset")
    return out


def mobile(i: int) -> str:
    """The i-th customer's mobile: unique for i < 36 * 10**8 (a bijection on 8 digits)."""
    prefix = MOBILE_PREFIXES[i % len(MOBILE_PREFIXES)]
    body = (i // len(MOBILE_PREFIXES) * 2654435761 + 12345678) % 10**8
    return f"{prefix}{body:08d}"


def person_name(rng: random.Random) -> str:
    surname = rng.choice(SURNAMES)
    if surname in "欧诸" and rng.random() < 0.5:  # 欧阳, 诸葛
        surname += "阳" if surname == "欧" else "葛"
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return surname + given


_CHECK_VALUE = {c: v for v, c in enumerate(CHECK_ALPHABET)}
_MODEL_CODES = list(MODELS)


def check_char(body: str) -> str:
    """A weighted-sum check character, as makers' serial rules add one."""
    value = _CHECK_VALUE.get
    total = sum((i + 1) * value(c, 0) for i, c in enumerate(body))
    return CHECK_ALPHABET[total % len(CHECK_ALPHABET)]


def serial_of(j: int, born: float) -> tuple[int, str]:
    """Unit j: (model index, serial) — model, production year-month, sequence, check."""
    model = j % len(MODELS)
    made = time.gmtime(born)
    body = f"{_MODEL_CODES[model]}{made.tm_year % 100:02d}{made.tm_mon:02d}{j // len(MODELS):07d}"
    return model, body + check_char(body)


def build_master() -> dict:
    from unitrace.accounts.services import create_user
    from unitrace.catalog.models import SKU
    from unitrace.service.models import FaultCategory, FaultCode

    skus = []
    for _code, (sku_code, name, months) in MODELS.items():
        sku, _ = SKU.objects.update_or_create(
            code=sku_code,
            defaults={"name": name, "serialized": True, "warranty_months": months},
        )
        skus.append(sku.pk)
    faults = []
    for cat_code, (zh, en, codes) in FAULTS.items():
        cat, _ = FaultCategory.objects.get_or_create(
            code=cat_code, defaults={"name_zh": zh, "name_en": en}
        )
        for code, czh, cen in codes:
            fc, _ = FaultCode.objects.get_or_create(
                code=code, defaults={"category": cat, "name_zh": czh, "name_en": cen}
            )
            faults.append(fc.pk)
    from django.contrib.auth import get_user_model

    have = dict(
        get_user_model()
        .objects.filter(username__startswith="bench-eng-")
        .values_list("username", "pk")
    )
    engineers = [
        have.get(name) or create_user(name, "bench-password-not-secret", "engineer").pk
        for name in (f"bench-eng-{k:02d}" for k in range(20))
    ]
    distributors = [p.pk for p in common.make_parties("distributor", 20, prefix="SD")]
    return {"skus": skus, "faults": faults, "engineers": engineers, "distributors": distributors}


def build_customers(n: int, chunk: int, places, seed: int) -> float:
    from unitrace.parties.models import Party

    table = Table(
        Party,
        [
            "id",
            "kind",
            "code",
            "name",
            "is_company",
            "phone",
            "phone_tail",
            "province",
            "city",
            "district",
            "address",
            "active",
            "adcode",
            "latitude",
            "longitude",
            "location_exact",
            "address_resolved",
            "address_issue",
        ],
    )

    def write(start: int, stop: int) -> None:
        rng = random.Random(seed * 1_000_003 + start)
        ids = reserve_ids(Party, stop - start)

        def lines():
            for k, i in enumerate(range(start, stop)):
                adcode, province, city, district, lat, lng = places[i % len(places)]
                phone = mobile(i)
                street = f"{rng.choice(STREETS)}{rng.randrange(1, 999)}号{rng.randrange(1, 30)}栋"
                yield table.line(
                    [
                        str(ids[k]),
                        "customer",
                        f"SC{i:07d}",
                        person_name(rng),
                        "f",
                        phone,
                        phone[-4:],
                        province,
                        city,
                        district,
                        street,
                        "t",
                        adcode,
                        f"{lat:.6f}",
                        f"{lng:.6f}",
                        "f",
                        "t",
                        "",
                    ]
                )

        table.copy(lines())

    return chunked("customers", n, chunk, write, ["parties_party"])


def customer_ids() -> array:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM parties_party WHERE kind = 'customer' AND code LIKE 'SC%%' "
            "ORDER BY code"
        )
        return array("q", (r[0] for r in cursor.fetchall()))


def holders(n_units: int, n_customers: int, seed: int) -> array:
    """Customer index of every unit: blocks of 1–12 units, 5 per customer on average
    (blocks wrap round the customers), the same for a seed so a resumed build agrees."""
    rng = random.Random(seed)
    out = array("i", bytes(4 * n_units))
    j = 0
    c = 0
    while j < n_units:
        take = min(n_units - j, 1 + int(rng.expovariate(1 / 4.0)) % 12)
        for _ in range(take):
            out[j] = c % n_customers
            j += 1
        c += 1
    # shuffle the customers' blocks over the units, so a customer's units differ in model
    rng.shuffle(out)
    return out


def born_at(j: int, now: float) -> float:
    """Unit j's production: spread over the three years before the last two months."""
    return now - 60 * DAY - ((j * 7919) % 1095) * DAY - (j % 24) * HOUR


def build_units(n: int, chunk: int, master, customers: array, holder: array, now, seed) -> float:
    from unitrace.serials.models import Unit

    table = Table(
        Unit,
        [
            "id",
            "sku_id",
            "serial",
            "public_token",
            "status",
            "holder_id",
            "distributor_id",
            "production_date",
            "registered_at",
            "received_at",
            "shipped_at",
            "sold_at",
            "installed_at",
            "last_event_at",
            "event_count",
        ],
    )
    skus, distributors = master["skus"], master["distributors"]

    def write(start: int, stop: int) -> None:
        rng = random.Random(seed * 7_000_003 + start)
        ids = reserve_ids(Unit, stop - start)

        def lines():
            for k, j in enumerate(range(start, stop)):
                born = born_at(j, now)
                model, serial = serial_of(j, born)
                received = born + 2 * DAY
                shipped = received + rng.uniform(3, 40) * DAY
                sold = min(shipped + rng.uniform(1, 30) * DAY, now - DAY)
                installed = sold + rng.uniform(0.2, 5) * DAY if rng.random() < 0.6 else None
                last = min(installed or sold, now - 0.5 * DAY)
                yield table.line(
                    [
                        str(ids[k]),
                        str(skus[model]),
                        serial,
                        secrets.token_urlsafe(12),
                        "installed" if installed else "sold",
                        str(customers[holder[j]]),
                        str(distributors[j % len(distributors)]),
                        datetime.fromtimestamp(born, UTC).date().isoformat(),
                        ts(born),
                        ts(received),
                        ts(shipped),
                        ts(sold),
                        ts(installed) if installed else "\\N",
                        ts(last),
                        "0",
                    ]
                )

        table.copy(lines())

    return chunked("units", n, chunk, write, ["serials_unit"])


def unit_ids(n: int) -> array:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM serials_unit WHERE sku_id IN "
            "(SELECT id FROM catalog_sku WHERE code = ANY(%s)) ORDER BY id",
            [[v[0] for v in MODELS.values()]],
        )
        out = array("q", (r[0] for r in cursor.fetchall()))
    if len(out) != n:
        raise SystemExit(f"expected {n:,} bench units, found {len(out):,}")
    return out


def _weighted(rng: random.Random, table) -> str:
    return rng.choices([s for s, _ in table], [w for _, w in table])[0]


def build_work_orders(
    n: int, chunk: int, master, customers: array, units: array, holder: array, now, seed, places
) -> float:
    from zoneinfo import ZoneInfo

    from unitrace.parties.models import Party
    from unitrace.service.models import WorkOrder, WorkOrderTransition

    shanghai = ZoneInfo("Asia/Shanghai")
    wo = Table(
        WorkOrder,
        [
            "id",
            "number",
            "kind",
            "priority",
            "mode",
            "channel",
            "state",
            "resume_state",
            "unit_id",
            "customer_id",
            "contact_name",
            "contact_phone",
            "contact_phone_tail",
            "address",
            "reported_fault_id",
            "fault_code_id",
            "description",
            "resolution",
            "cancel_reason",
            "assignee_id",
            "entitlement",
            "covered",
            "opened_at",
            "assigned_at",
            "accepted_at",
            "arrived_at",
            "resolved_at",
            "closed_at",
            "updated_at",
            "public_token",
            "adcode",
            "latitude",
            "longitude",
            "address_resolved",
        ],
    )
    tr = Table(
        WorkOrderTransition,
        ["work_order_id", "action", "from_state", "to_state", "at", "reason", "details"],
    )
    faults, engineers = master["faults"], master["engineers"]
    span = 730 * DAY
    # names of the customers in this run, fetched per block (the contact is the customer)
    kinds = (("repair", 80), ("maintenance", 8), ("installation", 7), ("inspection", 5))
    priorities = (("urgent", 5), ("high", 15), ("normal", 70), ("low", 10))
    modes = (("on_site", 80), ("carry_in", 12), ("mail_in", 8))
    channels = (("agent", 60), ("public_page", 25), ("api", 15))

    def write(start: int, stop: int) -> None:
        rng = random.Random(seed * 9_000_011 + start)
        ids = reserve_ids(WorkOrder, stop - start)
        picks = [rng.randrange(len(units)) for _ in range(stop - start)]
        wanted = {customers[holder[j]] for j in picks}
        info = {
            pk: (name, phone, address, city, district, adcode, lat, lng)
            for pk, name, phone, address, city, district, adcode, lat, lng in Party.objects.filter(
                pk__in=wanted
            ).values_list(
                "pk",
                "name",
                "phone",
                "address",
                "city",
                "district",
                "adcode",
                "latitude",
                "longitude",
            )
        }
        transitions: list[str] = []

        def lines():
            for k, i in enumerate(range(start, stop)):
                pk = ids[k]
                j = picks[k]
                customer = customers[holder[j]]
                name, phone, street, city, district, adcode, lat, lng = info[customer]
                # opened over two years, ending an hour ago, later orders later
                opened = now - span + span * (i + rng.random()) / n - HOUR
                age = now - opened
                state = _weighted(rng, RECENT_STATES if age < 60 * DAY else OLD_STATES)
                channel = _weighted(rng, channels)
                if rng.random() < 0.1:
                    phone = mobile(10**7 + rng.randrange(10**8))  # a relative's phone
                steps = PATHS[state]
                when = opened
                stamps: dict[str, float] = {}
                prev = "new"
                transitions.append(
                    tr.line(
                        [str(pk), "open", "", "new", ts(opened), "", f'{{"channel": "{channel}"}}']
                    )
                )
                room = max(age - 60, 60.0)
                for action in steps:
                    when = min(when + rng.uniform(0.02, 0.2) * min(room, 3 * DAY), now - 30)
                    target = TARGET[action]
                    stamps.setdefault(action, when)
                    transitions.append(
                        tr.line(
                            [str(pk), action, prev, target, ts(when), REASONS.get(action, ""), "{}"]
                        )
                    )
                    prev = target
                resume = {"waiting_parts": "on_site", "waiting_customer": "assigned"}.get(state, "")
                fault = faults[rng.randrange(len(faults))]
                number_day = datetime.fromtimestamp(opened, shanghai).date()

                def at(action, stamps=stamps):
                    return ts(stamps[action]) if action in stamps else "\\N"

                yield wo.line(
                    [
                        str(pk),
                        f"WO-{number_day:%Y%m%d}-{pk:06d}",
                        _weighted(rng, kinds),
                        _weighted(rng, priorities),
                        _weighted(rng, modes),
                        channel,
                        state,
                        resume,
                        str(units[j]),
                        str(customer),
                        name,
                        phone,
                        phone[-4:],
                        f"{city}{district}{street}",
                        str(fault),
                        str(fault),
                        rng.choice(DESCRIPTIONS),
                        "更换启动电容，试机正常" if "resolve" in stamps else "",
                        REASONS["cancel"] if state == "cancelled" else "",
                        str(rng.choice(engineers)) if "assign" in stamps else "\\N",
                        '{"by": "warranty", "state": "in_warranty", "covered": true}',
                        "t",
                        ts(opened),
                        at("assign"),
                        at("accept"),
                        at("arrive"),
                        at("resolve"),
                        at("close") if state == "closed" else "\\N",
                        ts(when),
                        secrets.token_urlsafe(18),
                        adcode,
                        f"{lat:.6f}" if lat is not None else "\\N",
                        f"{lng:.6f}" if lng is not None else "\\N",
                        "t",
                    ]
                )

        wo.copy(lines())
        tr.copy(transitions)

    return chunked(
        "work_orders", n, chunk, write, ["service_workorder", "service_workordertransition"]
    )


def finish(now: float) -> float:
    """Units on the bench or waiting for parts are 维修中, as the ledger leaves them."""
    from django.db import connection, transaction

    if done("finish"):
        return 0.0
    t = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE serials_unit SET status = 'in_service' WHERE id IN (SELECT unit_id FROM "
            "service_workorder WHERE state IN ('on_site', 'waiting_parts') AND unit_id IS NOT NULL)"
        )
        mark("finish", 1)
    with connection.cursor() as cursor:
        for table in (
            "parties_party",
            "serials_unit",
            "service_workorder",
            "service_workordertransition",
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")
    return time.perf_counter() - t


def sizes() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        total = cursor.fetchone()[0]
        out = {"database_gb": round(total / 1e9, 2)}
        for table in (
            "parties_party",
            "serials_unit",
            "service_workorder",
            "service_workordertransition",
        ):
            cursor.execute(f"SELECT count(*), pg_total_relation_size('{table}') FROM {table}")
            rows, size = cursor.fetchone()
            out[table] = {"rows": rows, "gb": round(size / 1e9, 2)}
    return out


def main() -> None:
    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--customers", type=int, default=1_000_000)
    p.add_argument("--units", type=int, default=5_000_000)
    p.add_argument("--work-orders", type=int, default=1_000_000)
    p.add_argument("--chunk", type=int, default=250_000, help="rows per COPY transaction")
    p.add_argument("--seed", type=int, default=9)
    args = p.parse_args()
    if common.vendor(args.database_url) != "postgresql":
        raise SystemExit("service_data.py builds PostgreSQL data only (COPY)")
    common.setup(args)
    from django.db import connection
    from django.utils import timezone

    progress_table()
    with connection.cursor() as cursor:
        # generated rows are consistent by construction: skip the per-row foreign-key
        # triggers of the load (this session only; needs a superuser, as createdb does)
        cursor.execute("SET session_replication_role = replica")
    with connection.cursor() as cursor:  # a clock fixed at the first run, so resumes agree
        cursor.execute(
            "INSERT INTO bench_progress (stage, done) VALUES ('clock', %s) ON CONFLICT DO NOTHING",
            [int(timezone.now().timestamp())],
        )
    now = float(done("clock"))
    figures: dict = {
        "customers": args.customers,
        "units": args.units,
        "work_orders": args.work_orders,
    }
    t_all = time.perf_counter()
    master = build_master()
    places = districts()
    print(f"build: {len(places)} districts; customers…", flush=True)
    figures["customers_s"] = round(
        build_customers(args.customers, args.chunk, places, args.seed), 1
    )
    customers = customer_ids()
    if len(customers) != args.customers:
        raise SystemExit(f"expected {args.customers:,} bench customers, found {len(customers):,}")
    holder = holders(args.units, args.customers, args.seed)
    print("units…", flush=True)
    figures["units_s"] = round(
        build_units(args.units, args.chunk, master, customers, holder, now, args.seed), 1
    )
    units = unit_ids(args.units)
    print("work orders…", flush=True)
    figures["work_orders_s"] = round(
        build_work_orders(
            args.work_orders,
            args.chunk // 2,
            master,
            customers,
            units,
            holder,
            now,
            args.seed,
            places,
        ),
        1,
    )
    figures["finish_s"] = round(finish(now), 1)
    figures["total_s"] = round(time.perf_counter() - t_all, 1)
    figures["sizes"] = sizes()
    print(f"built in {figures['total_s']} s: {figures['sizes']}", flush=True)
    common.report(args, "service_data", figures)


if __name__ == "__main__":
    main()
