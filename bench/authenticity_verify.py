"""Public authenticity checks, activations and diversion statistics on full tables.

Builds (once per database) one SKU with a GTIN and ``--units`` units delivered to 20
distributors with authorized provinces, ``--history`` past checks spread over 90 days
and ``--alerts`` diversion alerts over 12 months; then times, per call:

1. ``verify`` by token, by serial + code, by signed Digital Link (genuine), by a wrong
   code and by an unknown serial (both "unknown": their timings must match), and a
   check from outside the distributor's region (records a diversion alert);
2. ``POST /api/v1/verify/`` through the whole Django stack (rate limit raised);
3. ``activate_unit`` (customer by phone, sell-through, activation, diversion check);
4. ``alert_stats`` over all alerts and ``GET /api/v1/diversion-alerts/stats/``;
5. on PostgreSQL, checks per second from 4 threads at once.

    .venv/bin/python bench/authenticity_verify.py --fresh \
        --database-url postgres://postgres@127.0.0.1:5432/unitrace_bench_auth
    .venv/bin/python bench/authenticity_verify.py --fresh --units 20000 --history 50000
"""

from __future__ import annotations

import random
import threading
import time
from datetime import timedelta

import common

PROVINCES = ["浙江省", "江苏省", "广东省", "山东省", "河南省", "四川省", "湖北省", "福建省",
             "湖南省", "安徽省"]  # fmt: skip
CITIES = ["一号市", "二号市", "三号市", "四号市"]
DISTRIBUTORS = 20


def gtin14(body: str) -> str:
    """Append the GS1 mod-10 check digit to 13 digits."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)


def build(units: int, history: int, alerts: int) -> tuple:
    from django.utils import timezone

    from unitrace.authenticity.models import DiversionAlert, Verification
    from unitrace.parties.models import AuthorizedRegion
    from unitrace.serials import ledger
    from unitrace.serials.models import Unit
    from unitrace.serials.registration import NewUnit, register_units
    from unitrace.serials.statuses import EventType

    sku = common.make_sku("BENCH-AUTH", gtin=gtin14("0690123450001"), warranty_start="sale")
    distributors = common.make_parties("distributor", DISTRIBUTORS, prefix="BAD")
    for i, party in enumerate(distributors):
        AuthorizedRegion.objects.get_or_create(party=party, province=PROVINCES[i % 10], city="")
    if Unit.objects.filter(sku=sku).count() >= units:
        print("# data already built", flush=True)
        return sku, distributors
    warehouse = common.make_warehouses(1)[0]
    start = timezone.now() - timedelta(days=120)
    with common.timed(f"register {units:,} units"):
        register_units(sku, [NewUnit(f"AU{i:010d}") for i in range(units)], when=start)
    ids = list(Unit.objects.filter(sku=sku).order_by("pk").values_list("pk", flat=True))
    with common.timed("receive + deliver to distributors (record_many)"):
        ledger.record_many(
            ids,
            ledger.EventData(
                EventType.RECEIVED, warehouse=warehouse, when=start + timedelta(days=1)
            ),
        )
        share = len(ids) // DISTRIBUTORS + 1
        for n, party in enumerate(distributors):
            part = ids[n * share : (n + 1) * share]
            ledger.record_many(
                part,
                ledger.EventData(
                    EventType.DELIVERED,
                    party=party,
                    when=start + timedelta(days=2),
                    ref_type="DN",
                    ref_id=f"DN-{n}",
                ),
            )
    rng = random.Random(7)
    now = timezone.now()
    with common.timed(f"{history:,} past checks"):
        rows = []
        for _ in range(history):
            province = rng.choice(PROVINCES)
            city = rng.choice(CITIES)
            rows.append(
                Verification(
                    unit_id=rng.choice(ids),
                    checked_at=now - timedelta(minutes=rng.randrange(129600)),
                    method="token",
                    outcome="genuine",
                    network_hash=f"{rng.randrange(5000):032x}",
                    province=province,
                    city=city,
                    region_key=f"{province[:2]}/{city[:3]}",
                )
            )
            if len(rows) == 5000:
                Verification.objects.bulk_create(rows)
                rows = []
        Verification.objects.bulk_create(rows)
    with common.timed(f"{alerts:,} diversion alerts"):
        party_of = {}
        for n, party in enumerate(distributors):
            for pk in ids[n * share : (n + 1) * share]:
                party_of[pk] = party
        statuses = ["open", "acknowledged", "dismissed"]
        DiversionAlert.objects.bulk_create(
            [
                DiversionAlert(
                    unit_id=ids[i], distributor=party_of[ids[i]], province=PROVINCES[i % 10],
                    city=CITIES[i % 4], region_key=f"{i % 10}/{i % 4}", source="verification",
                    detected_at=now - timedelta(days=rng.randrange(365)), last_seen_at=now,
                    status=statuses[i % 3], delivery_ref="DN")
                for i in range(min(alerts, len(ids)))
            ],
            batch_size=5000,
        )  # fmt: skip
    return sku, distributors


def sample(fn, count: int, warm_up: bool = True) -> dict:
    if warm_up:  # first call pays for imports, URL resolver, prepared caches
        fn(0)
    times = []
    for i in range(count):
        t = time.perf_counter()
        fn(i)
        times.append((time.perf_counter() - t) * 1000)
    return common.summary(times)


def run(args, figures: dict) -> None:
    from django.conf import settings
    from django.test import Client

    from unitrace.authenticity import codes
    from unitrace.authenticity.activation import activate_unit
    from unitrace.authenticity.models import DiversionAlert
    from unitrace.authenticity.selectors import alert_stats
    from unitrace.authenticity.verification import Client as Caller
    from unitrace.authenticity.verification import Credentials, verify
    from unitrace.parties.regions import Region
    from unitrace.serials.models import Unit

    sku, distributors = build(args.units, args.history, args.alerts)
    units = list(Unit.objects.filter(sku=sku, activated_at__isnull=True, status="sold")
                 .select_related("sku", "distributor").order_by("?")[: args.calls * 3])  # fmt: skip
    rng = random.Random(11)
    caller = Caller("203.0.113.9", "bench")
    n = args.calls

    def pick(i):
        return units[i % len(units)]

    cases = {
        "token": lambda i: verify(Credentials(token=pick(i).public_token), caller),
        "serial+code": lambda i: verify(
            Credentials(serial=pick(i).serial, code=codes.verification_code(pick(i))), caller),
        "signed link": lambda i: verify(Credentials(link=codes.signed_digital_link(pick(i)))),
        "wrong code": lambda i: verify(Credentials(serial=pick(i).serial, code="ABCDEFGH")),
        "unknown serial": lambda i: verify(Credentials(serial=f"NO{i:010d}", code="ABCDEFGH")),
        "outside region (alert)": lambda i: verify(
            Credentials(token=pick(i).public_token), caller, Region("西藏自治区", "拉萨市")),
    }  # fmt: skip
    print(f"verify(), {n} calls each (ms):", flush=True)
    figures["verify_ms"] = {}
    for name, fn in cases.items():
        figures["verify_ms"][name] = sample(fn, n)
        print(f"  {name}: {figures['verify_ms'][name]}", flush=True)

    settings.AUTHENTICITY_RATE_LIMIT = 10**9
    http = Client()
    figures["api_verify_ms"] = sample(
        lambda i: http.post("/api/v1/verify/", {"token": pick(i).public_token},
                            content_type="application/json"), n)  # fmt: skip
    print(f"POST /api/v1/verify/ (ms): {figures['api_verify_ms']}", flush=True)

    fresh = units[2 * n : 3 * n] if len(units) >= 3 * n else units[-n:]

    def activate(i):
        unit = fresh[i]
        province = "西藏自治区" if i % 2 else PROVINCES[distributors.index(unit.distributor) % 10]
        activate_unit(unit, phone=f"139{rng.randrange(10**8):08d}", province=province, city="某市")

    figures["activate_ms"] = sample(activate, len(fresh), warm_up=False)
    print(f"activate_unit, {len(fresh)} units (ms): {figures['activate_ms']}", flush=True)

    count = DiversionAlert.objects.count()
    figures["alerts"] = count
    figures["alert_stats_ms"] = sample(lambda i: alert_stats(DiversionAlert.objects.all()), 10)
    print(f"alert_stats over {count:,} alerts (ms): {figures['alert_stats_ms']}", flush=True)
    token = common.api_token("bench-manager", "manager")
    staff = Client(HTTP_AUTHORIZATION=f"Token {token}")
    figures["api_stats_ms"] = sample(
        lambda i: staff.get("/api/v1/diversion-alerts/stats/", {"distributor": "BAD00003"}), 10
    )
    figures["api_list_ms"] = sample(lambda i: staff.get("/api/v1/diversion-alerts/"), 10)
    print(f"GET stats (one distributor) (ms): {figures['api_stats_ms']}", flush=True)
    print(f"GET list, first page (ms): {figures['api_list_ms']}", flush=True)

    if common.vendor(args.database_url) == "postgresql":
        parallel(units, figures)


def parallel(units, figures: dict, workers: int = 4, each: int = 200) -> None:
    from django.db import connection

    from unitrace.authenticity.verification import Credentials, verify

    barrier = threading.Barrier(workers)

    def work(w: int) -> None:
        barrier.wait()
        for i in range(each):
            verify(Credentials(token=units[(w * each + i) % len(units)].public_token))
        connection.close()

    threads = [threading.Thread(target=work, args=(w,)) for w in range(workers)]
    t = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - t
    figures["parallel"] = {"threads": workers, "checks": workers * each,
                           "checks_per_s": round(workers * each / elapsed)}  # fmt: skip
    print(
        f"{workers} threads × {each} checks: {workers * each / elapsed:,.0f} checks/s", flush=True
    )


def main() -> None:
    import os

    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--units", type=int, default=100_000, help="units (100,000)")
    p.add_argument("--history", type=int, default=300_000, help="past checks (300,000)")
    p.add_argument("--alerts", type=int, default=20_000, help="diversion alerts (20,000)")
    p.add_argument("--calls", type=int, default=300, help="timed calls per case (300)")
    args = p.parse_args()
    args.load_at_start = round(os.getloadavg()[0], 2)
    common.setup(args)
    figures: dict = {"units": args.units, "history": args.history, "calls": args.calls}
    run(args, figures)
    common.report(args, "authenticity", figures)


if __name__ == "__main__":
    main()
