"""The escalation job: mark clocks at risk or breached, tell the region's supervisor.

Set-based, so a million open work orders cost a few statements, not a million rows in
Python:

1. one ``UPDATE`` marks the running clocks whose due time has passed as breached (and
   at risk), another the running clocks whose at-risk moment has passed as at risk; each
   selects through a partial index (running and not yet marked) and stamps the run's
   id on the rows it marked;
2. one ``INSERT … SELECT`` per level records an escalation per marked clock and
   supervisor, found by the stamp.

The supervisor of a region is the one whose ``SupervisorRegion`` prefix is the longest
prefix of the work order's division code (several supervisors with that prefix are all
told); an order no prefix covers goes to every active supervisor (the users of the
``supervisor`` role); with none at all the escalation is recorded for nobody, so it is
still seen on the list.

Idempotent: a clock is marked only while unmarked (``at_risk``/``breached`` false in
the ``WHERE``), and a second run that overlaps the first waits on the rows the first
locked and then finds them marked; the unique constraints on the escalations (clock,
level, recipient) stop any second record. On PostgreSQL runs are also serialized by a
transaction-level advisory lock, so two overlapping runs never lock rows in different
orders.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from unitrace.service.models import (
    SLAClock,
    SLAEscalation,
    SLAEscalationRun,
    SupervisorRegion,
    WorkOrder,
)

SUPERVISOR_ROLE = "supervisor"
ADVISORY_LOCK = 0x534C41  # "SLA"
LEVEL_RUN_COLUMN = {
    SLAEscalation.Level.AT_RISK: "risk_run",
    SLAEscalation.Level.BREACHED: "breach_run",
}


@dataclass
class EscalationResult:
    run: int
    at_risk: int
    breached: int
    escalations: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def escalate(now: datetime | None = None) -> EscalationResult:
    """Mark what is due at ``now`` and record the escalations, all in one transaction."""
    now = now or timezone.now()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK])
        run = SLAEscalationRun.objects.create(started_at=now)
        running = SLAClock.objects.filter(state=SLAClock.State.RUNNING)
        breached = running.filter(breached=False, due_at__lte=now).update(
            breached=True, breached_at=F("due_at"), at_risk=True, breach_run=run.pk
        )
        at_risk = running.filter(at_risk=False, at_risk_at__lte=now).update(
            at_risk=True, risk_run=run.pk
        )
        told = 0
        if breached:
            told += _record(run.pk, SLAEscalation.Level.BREACHED, now)
        if at_risk:
            told += _record(run.pk, SLAEscalation.Level.AT_RISK, now)
        run.at_risk, run.breached, run.escalations = at_risk, breached, told
        run.finished_at = timezone.now()
        run.save(update_fields=["at_risk", "breached", "escalations", "finished_at"])
    return EscalationResult(run.pk, at_risk, breached, told)


def _tables() -> dict[str, str]:
    user = get_user_model()
    return {
        "clock": SLAClock._meta.db_table,
        "wo": WorkOrder._meta.db_table,
        "region": SupervisorRegion._meta.db_table,
        "escalation": SLAEscalation._meta.db_table,
        "user": user._meta.db_table,
        "user_groups": user.groups.through._meta.db_table,
        "group": Group._meta.db_table,
    }


# The marked clocks of one run and level, each with its recipients: the supervisors of
# the longest prefix covering the order's division code, else every active supervisor,
# else nobody. Every step is linear in the marked clocks whatever the planner guesses of
# them (a run's stamp has no statistics): three index probes of the small region table
# per clock, a window over the clock's own candidates, and the fallback joined only to
# the clocks nobody covers.
_INSERT = """
WITH marked AS (
    SELECT c.id AS clock_id, c.work_order_id, c.target, c.due_at, w.adcode
    FROM {clock} c JOIN {wo} w ON w.id = c.work_order_id
    WHERE c.{run_column} = %(run)s
),
candidates AS (
    SELECT m.clock_id, m.work_order_id, m.target, m.due_at, r.supervisor_id,
           LENGTH(r.region) AS depth,
           MAX(LENGTH(r.region)) OVER (PARTITION BY m.clock_id) AS best
    FROM marked m LEFT JOIN (
        {region} r JOIN {user} u ON u.id = r.supervisor_id AND u.is_active
    ) ON r.region IN (SUBSTR(m.adcode, 1, 2), SUBSTR(m.adcode, 1, 4), m.adcode)
),
everyone AS (
    SELECT u.id AS user_id FROM {user} u
    JOIN {user_groups} ug ON ug.user_id = u.id
    JOIN {group} g ON g.id = ug.group_id
    WHERE g.name = %(role)s AND u.is_active
),
addressed AS (
    SELECT clock_id, work_order_id, target, due_at, supervisor_id AS recipient_id
    FROM candidates WHERE supervisor_id IS NOT NULL AND depth = best
    UNION ALL
    SELECT c.clock_id, c.work_order_id, c.target, c.due_at, e.user_id
    FROM candidates c LEFT JOIN everyone e ON 1 = 1
    WHERE c.supervisor_id IS NULL
)
INSERT INTO {escalation} (clock_id, work_order_id, level, target, due_at, recipient_id, at, run)
SELECT clock_id, work_order_id, %(level)s, target, due_at, recipient_id, %(at)s, %(run)s
FROM addressed
WHERE 1 = 1
ON CONFLICT DO NOTHING
"""


def _record(run: int, level: str, now: datetime) -> int:
    sql = _INSERT.format(run_column=LEVEL_RUN_COLUMN[level], **_tables())
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "run": run,
                "level": level,
                "at": connection.ops.adapt_datetimefield_value(now),
                "role": SUPERVISOR_ROLE,
            },
        )
        if cursor.rowcount >= 0:
            return cursor.rowcount
    # SQLite reports no row count for an INSERT that starts with WITH
    return SLAEscalation.objects.filter(run=run, level=level).count()
