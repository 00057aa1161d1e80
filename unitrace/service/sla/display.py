"""What pages show of the SLA: each clock's state and time left, and a list filter.

A clock's state at a moment, worst first: **breached** (flagged, or running past its
due time even before the job has marked it), **at risk** (running past its at-risk
moment), **paused**, **on track**, **met**, **stopped** (cancelled). A work order's SLA
state is the worst of its clocks' (a met clock only counts when all are met).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unitrace.calendars import business_time
from unitrace.calendars.services import load_specs
from unitrace.service.models import SLAClock, WorkOrder

Clock = SLAClock.State

ON_TRACK, AT_RISK, BREACHED, MET, PAUSED, STOPPED = (
    "on_track",
    "at_risk",
    "breached",
    "met",
    "paused",
    "stopped",
)
STATE_LABELS = {
    ON_TRACK: gettext_lazy("on track"),
    AT_RISK: gettext_lazy("at risk"),
    BREACHED: gettext_lazy("breached"),
    MET: gettext_lazy("met"),
    PAUSED: gettext_lazy("paused"),
    STOPPED: gettext_lazy("stopped"),
}
# the badge colours the app already has: ok, warning, bad, info
BADGES = {
    ON_TRACK: "status-in_stock",
    AT_RISK: "status-in_service",
    BREACHED: "status-blocked",
    MET: "status-sold",
    PAUSED: "",
    STOPPED: "",
}
FILTER_STATES = (ON_TRACK, AT_RISK, BREACHED, PAUSED, MET)


@dataclass(frozen=True)
class ClockSummary:
    target: str
    label: str
    state: str
    state_label: str
    due_at: datetime
    # business time left until due (negative: overdue); None once met or stopped
    left: timedelta | None
    met_at: datetime | None
    policy: str
    calendar: str

    @property
    def badge(self) -> str:
        return BADGES[self.state]

    @property
    def left_text(self) -> str:
        return duration_text(self.left) if self.left is not None else ""


def duration_text(value: timedelta) -> str:
    """'2 h 05 min left' / '15 min overdue' (business time), to the minute."""
    minutes = int(abs(value.total_seconds()) // 60)
    hours, minutes = divmod(minutes, 60)
    text = (
        _("%(h)d h %(m)02d min") % {"h": hours, "m": minutes}
        if hours
        else _("%(m)d min") % {"m": minutes}
    )
    if value < timedelta(0):
        return _("%(time)s overdue") % {"time": text}
    return _("%(time)s left") % {"time": text}


def clock_state(clock: SLAClock, now: datetime) -> str:
    if clock.breached or (clock.state == Clock.RUNNING and now >= clock.due_at):
        return BREACHED
    if clock.state == Clock.MET:
        return MET
    if clock.state == Clock.STOPPED:
        return STOPPED
    if clock.state == Clock.PAUSED:
        return PAUSED
    return AT_RISK if now >= clock.at_risk_at else ON_TRACK


def sla_summary(work_order: WorkOrder, now: datetime | None = None) -> list[ClockSummary]:
    """Each target of the order, in the order response, arrival, resolution."""
    now = now or timezone.now()
    clocks = list(
        SLAClock.objects.filter(work_order=work_order).select_related("policy", "calendar")
    )
    order = {"respond": 0, "arrive": 1, "resolve": 2}
    clocks.sort(key=lambda c: order.get(c.target, 9))
    specs = load_specs({c.calendar for c in clocks}) if clocks else {}
    rows = []
    for clock in clocks:
        spec = specs[clock.calendar_id]
        left = None
        if clock.state == Clock.RUNNING:
            left = business_time.business_between(spec, now, clock.due_at)
        elif clock.state == Clock.PAUSED and clock.paused_at is not None:
            left = business_time.business_between(spec, clock.paused_at, clock.due_at)
        state = clock_state(clock, now)
        rows.append(
            ClockSummary(
                target=clock.target,
                label=str(clock.get_target_display()),
                state=state,
                state_label=str(STATE_LABELS[state]),
                due_at=clock.due_at,
                left=left,
                met_at=clock.met_at,
                policy=clock.policy.name,
                calendar=clock.calendar.name,
            )
        )
    return rows


def _any(condition: Q) -> Exists:
    return Exists(SLAClock.objects.filter(condition, work_order=OuterRef("pk")))


def filter_by_sla_state(
    queryset: QuerySet[WorkOrder], state: str, now: datetime | None = None
) -> QuerySet[WorkOrder]:
    """The orders whose SLA state (worst of their clocks, module doc) is ``state``."""
    if state not in FILTER_STATES:
        raise ValidationError(
            {
                "sla_state": _("'%(value)s' is not one of %(choices)s")
                % {"value": state, "choices": ", ".join(FILTER_STATES)}
            }
        )
    now = now or timezone.now()
    running = Q(state=Clock.RUNNING)
    breached = _any(Q(breached=True) | (running & Q(due_at__lte=now)))
    at_risk = _any(running & Q(at_risk_at__lte=now))
    paused = _any(Q(state=Clock.PAUSED))
    on_track = _any(running)
    if state == BREACHED:
        return queryset.filter(breached)
    if state == AT_RISK:
        return queryset.filter(at_risk).exclude(breached)
    if state == PAUSED:
        return queryset.filter(paused).exclude(breached).exclude(at_risk)
    if state == ON_TRACK:
        return queryset.filter(on_track).exclude(breached).exclude(at_risk).exclude(paused)
    unfinished = _any(Q(state__in=[Clock.RUNNING, Clock.PAUSED]))
    return queryset.filter(_any(Q(state=Clock.MET))).exclude(breached).exclude(unfinished)
