"""Business time for the escalation job: one SLA clock per open order, a million orders.

Loads the default office calendar (Mon–Fri 9–12, 13–18, China's holidays and 调休) and
the 24×7 one from the database once, as the job would, then for ``--orders`` orders with
random starts over two years and zero to two pauses evaluates each clock the way an
escalation needs it: business time elapsed now, less the pauses, and the due time of a
target between 30 minutes and 40 working days. Reports the time per order and in all.
No database access inside the loop (the calendar is a frozen spec).

    .venv/bin/python bench/calendars_business_time.py --orders 1000000
"""

from __future__ import annotations

import random
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import common


def orders(count: int, seed: int = 9):
    rng = random.Random(seed)
    zone = ZoneInfo("Asia/Shanghai")
    base = datetime(2025, 1, 1, tzinfo=zone)
    for _ in range(count):
        start = base + timedelta(seconds=rng.randrange(2 * 365 * 86400))
        pauses = []
        cursor = start
        for _p in range(rng.randrange(3)):
            paused = cursor + timedelta(seconds=rng.randrange(1, 3 * 86400))
            resumed = paused + timedelta(seconds=rng.randrange(1, 2 * 86400))
            pauses.append((paused, resumed))
            cursor = resumed
        target = timedelta(minutes=rng.choice([30, 60, 240, 480, 8 * 60 * 5, 8 * 60 * 40]))
        yield start, pauses, target


def main() -> None:
    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--orders", type=int, default=1_000_000)
    args = p.parse_args()
    common.setup(args)

    from unitrace.calendars.business_time import due_with_pauses, elapsed_with_pauses
    from unitrace.calendars.services import load_spec

    specs = [load_spec("workdays"), load_spec("24x7")]
    now = datetime(2027, 1, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    work = list(orders(args.orders))
    # warm the tables (built once per calendar and year range)
    for spec in specs:
        elapsed_with_pauses(spec, work[0][0], work[0][1], now)

    t = time.perf_counter()
    breached = 0
    for i, (start, pauses, target) in enumerate(work):
        spec = specs[i % 2]
        if elapsed_with_pauses(spec, start, pauses, now) >= target:
            breached += 1
    elapsed_s = time.perf_counter() - t

    t = time.perf_counter()
    for i, (start, pauses, target) in enumerate(work):
        due_with_pauses(specs[i % 2], start, target, pauses)
    due_s = time.perf_counter() - t

    figures = {
        "orders": args.orders,
        "elapsed_total_s": round(elapsed_s, 2),
        "elapsed_per_order_us": round(elapsed_s / args.orders * 1e6, 2),
        "due_total_s": round(due_s, 2),
        "due_per_order_us": round(due_s / args.orders * 1e6, 2),
        "breached": breached,
    }
    print(
        f"{args.orders} orders: elapsed {elapsed_s:.2f} s "
        f"({figures['elapsed_per_order_us']} µs each), due times {due_s:.2f} s "
        f"({figures['due_per_order_us']} µs each); {breached} breached"
    )
    common.report(args, "calendars_business_time", figures)


if __name__ == "__main__":
    main()
