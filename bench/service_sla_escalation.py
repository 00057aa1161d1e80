"""The SLA escalation run over 1,000,000 open work orders with their clocks (PostgreSQL).

Builds ``--orders`` open work orders (each with response, arrival and resolution
clocks: 3,000,000 clocks for a million orders) by COPY, in the mix a periodic job meets:
most clocks on track, met, or already marked by earlier runs; ``--new-risk`` and
``--new-breach`` of them (shares of all clocks) crossed their at-risk or due moment
since the last run. Supervisors cover 31 provinces and some cities; a share of the
orders lies in a region nobody covers (they go to every supervisor). Then times
``escalate()`` (the job's function) once, and again at the same moment (the repeat
must escalate nothing).

    .venv/bin/python bench/service_sla_escalation.py --fresh \\
        --database-url postgres://postgres@127.0.0.1:5432/unitrace_bench_sla
    .venv/bin/python bench/service_sla_escalation.py --skip-build ...   # reuse the data
"""

from __future__ import annotations

import random
import secrets
import time
from datetime import UTC, datetime, timedelta

import common

PROVINCES = [
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36",
    "37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62",
    "63", "64", "65",
]  # fmt: skip
TARGETS = [("respond", 3600), ("arrive", 4 * 3600), ("resolve", 24 * 3600)]
PASSWORD = "bench-password-not-secret"
NOW = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


def iso(moment: datetime) -> str:
    return moment.isoformat()


def build(orders: int, new_risk: float, new_breach: float, seed: int = 11) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from unitrace.accounts.services import create_user
    from unitrace.calendars.models import BusinessCalendar
    from unitrace.core.pgcopy import copy_lines, copy_text
    from unitrace.service.models import SLAClock, SLAPolicy, SupervisorRegion, WorkOrder

    rng = random.Random(seed)
    policy = SLAPolicy.objects.get(code="urgent")
    calendar = BusinessCalendar.objects.get(code="24x7")
    user_model = get_user_model()
    if not SupervisorRegion.objects.exists():
        for province in PROVINCES:
            sup = create_user(f"bench-sup-{province}", PASSWORD, "supervisor")
            SupervisorRegion.objects.create(supervisor=sup, region=province)
        for city in ("3301", "3302", "4401", "4403", "5101"):
            sup = create_user(f"bench-sup-{city}", PASSWORD, "supervisor")
            SupervisorRegion.objects.create(supervisor=sup, region=city)
    supervisors = user_model.objects.filter(groups__name="supervisor").count()

    wo_table = WorkOrder._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = %s ORDER BY ordinal_position",
            [wo_table],
        )
        columns = [(name, kind) for name, kind in cursor.fetchall() if name != "id"]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {wo_table}")
        first_id = cursor.fetchone()[0] + 1

    states = ["new", "assigned", "accepted", "travelling", "on_site"]
    fixed = {
        "kind": "repair",
        "priority": "urgent",
        "mode": "on_site",
        "channel": "api",
        "contact_name": "基准",
        "contact_phone": "13800138000",
        "contact_phone_tail": "8000",
        "address": "基准地址",
        "entitlement": "{}",
        "address_resolved": "t",
    }

    def order_line(i: int) -> tuple[str, datetime, str]:
        opened = NOW - timedelta(seconds=rng.randrange(3 * 86400))
        if rng.random() < 0.05:  # nobody covers it: 71 is Taiwan, no supervisor mapped
            adcode = f"71{rng.randrange(1, 20):02d}{rng.randrange(1, 30):02d}"
        else:
            adcode = f"{rng.choice(PROVINCES)}{rng.randrange(1, 20):02d}{rng.randrange(1, 30):02d}"
        values = []
        for name, kind in columns:
            if name in fixed:
                values.append(fixed[name])
            elif name == "number":
                values.append(f"WO-B{first_id + i:09d}")
            elif name == "state":
                values.append(rng.choice(states))
            elif name in ("opened_at", "updated_at"):
                values.append(iso(opened))
            elif name == "adcode":
                values.append(adcode)
            elif name == "public_token":
                values.append(secrets.token_urlsafe(18))
            elif (
                kind in ("integer", "smallint", "bigint") and name.endswith("_count")
            ) or name == "flag_count":
                values.append("0")
            elif kind == "boolean":
                values.append("f")
            elif kind in ("character varying", "text"):
                values.append("")
            else:
                values.append(None)
        return "\t".join(copy_text(v) for v in values) + "\n", opened, adcode

    t = time.perf_counter()
    lines = []
    opened_of = []
    for i in range(orders):
        line, opened, _adcode = order_line(i)
        lines.append(line)
        opened_of.append(opened)
    copy_lines(wo_table, [c for c, _k in columns], lines)
    built_orders = time.perf_counter() - t
    lines.clear()

    mix = {"met": 0.40, "marked_breached": 0.10, "marked_risk": 0.10}
    counts = {"new_risk": 0, "new_breach": 0}
    clock_columns = [
        "work_order_id", "target", "policy_id", "matched", "calendar_id", "target_seconds",
        "at_risk_percent", "pause_for_parts", "state", "started_at", "due_at", "at_risk_at",
        "paused_at", "paused_business_seconds", "paused_wall_seconds", "met_at", "stopped_at",
        "at_risk", "breached", "breached_at", "risk_run", "breach_run",
    ]  # fmt: skip
    matched = '{"policy": "urgent"}'

    def clocks():
        for i in range(orders):
            wo_id = first_id + i
            for target, seconds in TARGETS:
                roll = rng.random()
                state, at_risk, breached, met_at, breached_at = "running", "f", "f", None, None
                if roll < new_breach:
                    due = NOW - timedelta(seconds=rng.randrange(1, 300))
                    counts["new_breach"] += 1
                    at_risk = rng.choice("tf")  # some were at risk before
                elif roll < new_breach + new_risk:
                    due = NOW + timedelta(seconds=rng.randrange(1, int(seconds * 0.2)))
                    counts["new_risk"] += 1
                    # its at-risk moment passed since the last run
                    risk = NOW - timedelta(seconds=rng.randrange(1, 300))
                    yield row(wo_id, target, seconds, state, due, risk, at_risk, breached)
                    continue
                else:
                    rest = (roll - new_breach - new_risk) / (1 - new_breach - new_risk)
                    if rest < mix["met"]:
                        state = "met"
                        due = NOW + timedelta(seconds=rng.randrange(-86400, 86400))
                        met_at = NOW - timedelta(seconds=rng.randrange(86400))
                    elif rest < mix["met"] + mix["marked_breached"]:
                        due = NOW - timedelta(seconds=rng.randrange(300, 86400))
                        at_risk, breached, breached_at = "t", "t", due
                    elif rest < mix["met"] + mix["marked_breached"] + mix["marked_risk"]:
                        due = NOW + timedelta(seconds=rng.randrange(1, int(seconds * 0.2)))
                        at_risk = "t"
                    else:  # on track: the at-risk moment is still ahead
                        due = NOW + timedelta(seconds=rng.randrange(int(seconds * 0.21), seconds))
                risk = due - timedelta(seconds=int(seconds * 0.2))
                if state == "running" and at_risk == "f" and risk <= NOW and breached == "f":
                    risk = NOW + timedelta(seconds=1) if due > NOW else risk
                yield row(
                    wo_id, target, seconds, state, due, risk, at_risk, breached, met_at, breached_at
                )

    def row(wo_id, target, seconds, state, due, risk, at_risk, breached, met_at=None, b_at=None):
        values = [
            wo_id, target, policy.pk, matched, calendar.pk, seconds, 80, "f", state,
            iso(due - timedelta(seconds=seconds)), iso(due), iso(risk), None, 0, 0,
            iso(met_at) if met_at else None, None, at_risk, breached,
            iso(b_at) if b_at else None, None, None,
        ]  # fmt: skip
        return "\t".join(copy_text(v) for v in values) + "\n"

    t = time.perf_counter()
    copy_lines(SLAClock._meta.db_table, clock_columns, clocks())
    built_clocks = time.perf_counter() - t
    t = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {wo_table}")
        cursor.execute(f"ANALYZE {SLAClock._meta.db_table}")
    return {
        "orders": orders,
        "clocks": orders * len(TARGETS),
        "supervisors": supervisors,
        "due_new_risk": counts["new_risk"],
        "due_new_breach": counts["new_breach"],
        "build_orders_s": round(built_orders, 1),
        "build_clocks_s": round(built_clocks, 1),
        "analyze_s": round(time.perf_counter() - t, 1),
    }


CLOCKS_SQL = """
INSERT INTO service_slaclock (
    work_order_id, target, policy_id, matched, calendar_id, target_seconds,
    at_risk_percent, pause_for_parts, state, started_at, due_at, at_risk_at,
    paused_business_seconds, paused_wall_seconds, met_at, at_risk, breached, breached_at
)
SELECT id, target, %(policy)s, '{"policy": "urgent"}'::jsonb, %(calendar)s, secs, 80, false,
       CASE WHEN k = 'met' THEN 'met' ELSE 'running' END,
       due - make_interval(secs => secs), due, risk, 0, 0,
       CASE WHEN k = 'met' THEN %(now)s - interval '1 hour' END,
       k IN ('marked_breached', 'marked_risk'), k = 'marked_breached',
       CASE WHEN k = 'marked_breached' THEN due END
FROM (
    SELECT id, target, secs, k, due,
           CASE WHEN k = 'new_risk' THEN %(now)s - make_interval(secs => 1 + u * 299)
                ELSE due - make_interval(secs => secs * 0.2) END AS risk
    FROM (
        SELECT id, target, secs, k, u,
               CASE k
                 WHEN 'new_breach' THEN %(now)s - make_interval(secs => 1 + u * 299)
                 WHEN 'new_risk' THEN %(now)s + make_interval(secs => 1 + u * (secs * 0.2 - 2))
                 WHEN 'met' THEN %(now)s + make_interval(secs => (u * 2 - 1) * 86400)
                 WHEN 'marked_breached' THEN %(now)s - make_interval(secs => 300 + u * 86100)
                 WHEN 'marked_risk' THEN %(now)s + make_interval(secs => 1 + u * (secs * 0.2 - 2))
                 ELSE %(now)s + make_interval(secs => secs * (0.21 + u * 0.78))
               END AS due
        FROM (
            SELECT w.id, t.target, t.secs, random() AS u,
                   CASE WHEN r < %(nb)s THEN 'new_breach'
                        WHEN r < %(nb)s + %(nr)s THEN 'new_risk'
                        WHEN r < %(nb)s + %(nr)s + (1 - %(nb)s - %(nr)s) * 0.4 THEN 'met'
                        WHEN r < %(nb)s + %(nr)s + (1 - %(nb)s - %(nr)s) * 0.5
                          THEN 'marked_breached'
                        WHEN r < %(nb)s + %(nr)s + (1 - %(nb)s - %(nr)s) * 0.6 THEN 'marked_risk'
                        ELSE 'on_track' END AS k
            FROM service_workorder w
            CROSS JOIN (VALUES ('respond', 3600), ('arrive', 14400), ('resolve', 86400))
                AS t (target, secs)
            CROSS JOIN LATERAL (SELECT random() + 0 * w.id AS r) AS roll
            WHERE NOT EXISTS (SELECT 1 FROM service_slaclock c WHERE c.work_order_id = w.id)
        ) AS rolled
    ) AS dated
) AS rows
"""


def clocks_in_sql(new_risk: float, new_breach: float) -> dict:
    """The clocks of orders that have none, generated by the database in the same mix
    (faster than COPY from Python on a loaded machine); counts the backlog it made."""
    from django.db import connection

    from unitrace.calendars.models import BusinessCalendar
    from unitrace.service.models import SLAPolicy

    params = {
        "policy": SLAPolicy.objects.get(code="urgent").pk,
        "calendar": BusinessCalendar.objects.get(code="24x7").pk,
        "now": NOW,
        "nb": new_breach,
        "nr": new_risk,
    }
    t = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.11)")
        cursor.execute(CLOCKS_SQL, params)
        made = cursor.rowcount
        cursor.execute("ANALYZE service_slaclock")
        cursor.execute(
            "SELECT count(*) FILTER (WHERE state = 'running' AND NOT breached AND due_at <= %s),"
            " count(*) FILTER (WHERE state = 'running' AND NOT at_risk AND due_at > %s"
            " AND at_risk_at <= %s) FROM service_slaclock",
            [NOW, NOW, NOW],
        )
        due_breach, due_risk = cursor.fetchone()
    return {
        "clocks": made,
        "due_new_breach": due_breach,
        "due_new_risk": due_risk,
        "build_clocks_sql_s": round(time.perf_counter() - t, 1),
    }


def main() -> None:
    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--orders", type=int, default=1_000_000)
    p.add_argument("--new-risk", type=float, default=0.03, help="share of clocks newly at risk")
    p.add_argument("--new-breach", type=float, default=0.02, help="share of clocks newly due")
    p.add_argument("--skip-build", action="store_true")
    p.add_argument(
        "--clocks-in-sql",
        action="store_true",
        help="give the orders without clocks their clocks by INSERT ... SELECT (no COPY)",
    )
    args = p.parse_args()
    common.setup(args)

    from django.db import connection

    from unitrace.service.models import SLAClock, SLAEscalation
    from unitrace.service.sla.escalation import escalate

    figures: dict = {"database_url": common.db_name(args.database_url)}
    if args.clocks_in_sql:
        figures |= clocks_in_sql(args.new_risk, args.new_breach)
        print(f"# built {figures}", flush=True)
    elif not args.skip_build:
        figures |= build(args.orders, args.new_risk, args.new_breach)
        print(f"# built {figures}", flush=True)
    if args.skip_build or args.clocks_in_sql:
        # undo an earlier run's marks so the run below sees the same backlog
        SLAEscalation.objects.all().delete()
        SLAClock.objects.filter(risk_run__isnull=False).update(at_risk=False, risk_run=None)
        SLAClock.objects.filter(breach_run__isnull=False).update(
            breached=False, breached_at=None, breach_run=None
        )
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {SLAClock._meta.db_table}")
    open_orders = "SELECT count(*) FROM service_workorder WHERE state NOT IN ('closed','cancelled')"
    with connection.cursor() as cursor:
        cursor.execute(open_orders)
        figures["open_orders"] = cursor.fetchone()[0]

    with common.CpuMeter() as cpu:
        t = time.perf_counter()
        first = escalate(NOW)
        figures["run_s"] = round(time.perf_counter() - t, 2)
    figures["run_cpu"] = {"python_s": round(cpu.client, 2), "database_s": round(cpu.server, 2)}
    figures["run"] = first.as_dict()
    t = time.perf_counter()
    again = escalate(NOW)
    figures["repeat_s"] = round(time.perf_counter() - t, 2)
    figures["repeat"] = again.as_dict()
    assert again.at_risk == again.breached == again.escalations == 0, again
    print(
        f"# escalation over {figures['open_orders']:,} open orders: {figures['run_s']} s "
        f"({first.at_risk:,} at risk, {first.breached:,} breached, "
        f"{first.escalations:,} escalations); repeat {figures['repeat_s']} s, nothing new",
        flush=True,
    )
    common.report(args, "service_sla_escalation", figures)


if __name__ == "__main__":
    main()
