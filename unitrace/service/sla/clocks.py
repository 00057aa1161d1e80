"""The clocks of one work order: started at open, moved by its steps.

Called only by ``service.workorders`` inside its transaction, with the order's row
locked, so a clock is never moved by two steps at once.

* Started at open, one clock per target the policy sets: first response, on-site
  arrival (only for on-site jobs: carry-in and mail-in have no journey), resolution.
  Due and at-risk moments are computed on the policy's calendar and stored.
* **Response is met at the first ``accept``**: the engineer has taken the job and will
  contact the customer. Assigning is the dispatcher's internal step and does not count
  (an order assigned in a minute and accepted hours later was not answered in a minute).
  Arrival is met at ``arrive``, resolution at ``resolve``; a later target met first
  meets the earlier ones too.
* Waiting for the customer pauses every running clock; waiting for parts pauses them
  when the policy says so. Resuming moves due and at-risk moments on by the business
  time paused; the pause is accumulated in business and wall seconds.
* Cancelling stops the clocks. Reopening does not restart them: a repeat visit is
  counted by ``reopen_count`` (a contract's reopen rules come with contracts).
* ``breached`` is set when a target is met, paused or stopped after its due time (or by
  the escalation job when the due time passes) and never cleared.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from unitrace.calendars import business_time
from unitrace.calendars.business_time import CalendarSpec
from unitrace.calendars.services import load_spec
from unitrace.service.models import SLAClock, Target, WorkOrder
from unitrace.service.sla.policies import policy_for
from unitrace.service.states import Mode, State

Clock = SLAClock.State
# which action meets which targets (a later target met first meets the earlier ones)
MEETS: dict[str, tuple[str, ...]] = {
    "accept": (Target.RESPOND,),
    "arrive": (Target.RESPOND, Target.ARRIVE),
    "resolve": (Target.RESPOND, Target.ARRIVE, Target.RESOLVE),
}
DURATION_FIELDS = {
    Target.RESPOND: "response",
    Target.ARRIVE: "arrival",
    Target.RESOLVE: "resolution",
}


def _at_risk_us(target_us: int, percent: int) -> int:
    return target_us * percent // 100


def start(work_order: WorkOrder, when: datetime) -> list[SLAClock]:
    """Start the order's clocks under the policy that matches it (none if no policy)."""
    policy, why = policy_for(work_order)
    if policy is None:
        return []
    spec = load_spec(policy.calendar)
    clocks = []
    for target in Target.values:
        minutes = policy.target_minutes(target)
        if not minutes or (target == Target.ARRIVE and work_order.mode != Mode.ON_SITE):
            continue
        duration = timedelta(minutes=minutes)
        risk = timedelta(microseconds=_at_risk_us(minutes * 60_000_000, policy.at_risk_percent))
        clocks.append(
            SLAClock(
                work_order=work_order,
                target=target,
                policy=policy,
                matched=why,
                calendar_id=policy.calendar_id,
                target_seconds=minutes * 60,
                at_risk_percent=policy.at_risk_percent,
                pause_for_parts=policy.pause_for_parts,
                started_at=when,
                due_at=business_time.add_business(spec, when, duration),
                at_risk_at=business_time.add_business(spec, when, risk),
            )
        )
    return SLAClock.objects.bulk_create(clocks)


def follow(work_order: WorkOrder, action: str, target_state: str, when: datetime) -> set[str]:
    """Move the clocks for ``action``; returns the work order's fields it set (the
    durations the dashboards read), for the caller's save."""
    clocks = list(
        SLAClock.objects.filter(work_order=work_order).exclude(state__in=[Clock.MET, Clock.STOPPED])
    )
    if not clocks:
        return set()
    specs: dict[int, CalendarSpec] = {}

    def spec_of(clock: SLAClock) -> CalendarSpec:
        if clock.calendar_id not in specs:
            specs[clock.calendar_id] = load_spec(clock.calendar_id)
        return specs[clock.calendar_id]

    changed: set[str] = set()
    dirty: list[SLAClock] = []
    for clock in clocks:
        spec = spec_of(clock)
        if action in MEETS and clock.target in MEETS[action]:
            _resume(clock, spec, when)
            _meet(clock, spec, when)
            changed |= _record_durations(work_order, clock, spec, when)
        elif action == "cancel":
            _resume(clock, spec, when)
            _check_breach(clock, when)
            clock.state, clock.stopped_at = Clock.STOPPED, when
        elif action == "resume":
            _resume(clock, spec, when)
        elif target_state == State.WAITING_CUSTOMER or (
            target_state == State.WAITING_PARTS and clock.pause_for_parts
        ):
            _pause(clock, when)
        else:
            continue
        dirty.append(clock)
    if dirty:
        SLAClock.objects.bulk_update(
            dirty,
            [
                "state",
                "due_at",
                "at_risk_at",
                "paused_at",
                "paused_business_seconds",
                "paused_wall_seconds",
                "met_at",
                "stopped_at",
                "at_risk",
                "breached",
                "breached_at",
            ],
        )
    return changed


def _check_breach(clock: SLAClock, when: datetime) -> None:
    """A clock seen after its due time is breached from that time on (and stays so)."""
    if not clock.breached and when > clock.due_at:
        clock.breached, clock.breached_at = True, clock.due_at
        clock.at_risk = True


def _pause(clock: SLAClock, when: datetime) -> None:
    if clock.state != Clock.RUNNING:
        return
    _check_breach(clock, when)
    clock.state, clock.paused_at = Clock.PAUSED, when


def _resume(clock: SLAClock, spec: CalendarSpec, when: datetime) -> None:
    """End a pause: due and at-risk moments move on by the business time it lasted (a
    moment already passed when the pause began stays where it was)."""
    if clock.state != Clock.PAUSED or clock.paused_at is None:
        return
    paused_at = clock.paused_at
    paused = business_time.business_between(spec, paused_at, when)
    if clock.due_at > paused_at:
        clock.due_at = business_time.add_business(spec, clock.due_at, paused)
    if clock.at_risk_at > paused_at:
        clock.at_risk_at = business_time.add_business(spec, clock.at_risk_at, paused)
    clock.paused_business_seconds += round(paused.total_seconds())
    clock.paused_wall_seconds += round((when - paused_at).total_seconds())
    clock.state, clock.paused_at = Clock.RUNNING, None


def _meet(clock: SLAClock, spec: CalendarSpec, when: datetime) -> None:
    _check_breach(clock, when)
    clock.state, clock.met_at = Clock.MET, when


def business_seconds(clock: SLAClock, spec: CalendarSpec, until: datetime) -> int:
    """Business time the clock ran from its start to ``until``, less its pauses."""
    ran = business_time.business_between(spec, clock.started_at, until).total_seconds()
    return max(round(ran) - clock.paused_business_seconds, 0)


def _record_durations(
    work_order: WorkOrder, clock: SLAClock, spec: CalendarSpec, when: datetime
) -> set[str]:
    prefix = DURATION_FIELDS[clock.target]
    setattr(work_order, f"{prefix}_business_seconds", business_seconds(clock, spec, when))
    setattr(
        work_order,
        f"{prefix}_wall_seconds",
        max(round((when - work_order.opened_at).total_seconds()), 0),
    )
    return {f"{prefix}_business_seconds", f"{prefix}_wall_seconds"}
