"""SLA clocks with a controlled clock: every moment is passed as ``when=``/``now=``."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from unitrace.calendars.models import BusinessCalendar
from unitrace.service.models import (
    SLAClock,
    SLAEscalation,
    SLAPolicy,
    SupervisorRegion,
    WorkOrder,
)
from unitrace.service.sla import display
from unitrace.service.sla.escalation import escalate
from unitrace.service.sla.policies import policy_for
from unitrace.service.workorders import Intake, open_work_order, transition

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
HANGZHOU_XIHU = "浙江省杭州市西湖区文三路 1 号"


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SH)


def open_order(when: datetime, **kw) -> WorkOrder:
    data = {"contact_name": "王先生", "contact_phone": "13800138000", "address": HANGZHOU_XIHU}
    return open_work_order(Intake(**{**data, **kw}), channel="agent", when=when)


def clocks(wo: WorkOrder) -> dict[str, SLAClock]:
    return {c.target: c for c in SLAClock.objects.filter(work_order=wo)}


def office() -> BusinessCalendar:
    return BusinessCalendar.objects.get(code="workdays")


@pytest.fixture
def engineer(make_user):
    return make_user("engineer")


# --- policies -------------------------------------------------------------------------


def test_default_policies_carry_the_checklists_figures():
    urgent = SLAPolicy.objects.get(code="urgent")
    normal = SLAPolicy.objects.get(code="normal")
    assert (urgent.respond_minutes, urgent.arrive_minutes, urgent.resolve_minutes) == (
        60,
        240,
        1440,
    )
    assert urgent.calendar.always_open and urgent.at_risk_percent == 80
    assert normal.respond_minutes == 45 and normal.calendar.code == "workdays"
    assert normal.pause_for_parts and not urgent.pause_for_parts


def test_most_specific_policy_wins_in_the_documented_order():
    def policy(code, **kw):
        base = {"name_zh": code, "calendar": office(), "respond_minutes": 30}
        return SLAPolicy.objects.create(code=code, **{**base, **kw})

    zhejiang = policy("zj", region="33", priority="high")
    xihu = policy("xihu", region="330106", priority="high")
    repair = policy("repair-high", kind="repair", priority="high")
    premium = policy("premium", service_class="premium")
    wo = WorkOrder(priority="high", kind="repair", adcode="330106", service_class="")
    # priority + type beats priority + region, whatever the region's depth
    chosen, why = policy_for(wo)
    assert chosen == repair and why["matched_on"] == ["priority", "kind"]
    repair.active = False
    repair.save()
    # among priority + region: the longer prefix
    assert policy_for(wo)[0] == xihu
    assert policy_for(WorkOrder(priority="high", kind="repair", adcode="330108"))[0] == zhejiang
    # a contract class outranks everything below it
    wo.service_class = "premium"
    chosen, why = policy_for(wo)
    assert chosen == premium and "premium" in why["candidates"] and "xihu" in why["candidates"]
    # nothing specific: the seeded priority policy, then the fallback
    assert policy_for(WorkOrder(priority="low", kind="recall", adcode="110101"))[0].code == "low"
    SLAPolicy.objects.filter(code="low").update(active=False)
    assert policy_for(WorkOrder(priority="low", kind="recall"))[0].code == "default"


def test_the_policy_and_why_are_kept_on_each_clock():
    wo = open_order(at(2025, 9, 22, 10), priority="urgent")
    respond = clocks(wo)["respond"]
    assert respond.policy.code == "urgent"
    assert respond.matched["policy"] == "urgent" and respond.matched["matched_on"] == ["priority"]
    assert respond.matched["adcode"] == "330106"
    assert set(clocks(wo)) == {"respond", "arrive", "resolve"}


def test_carry_in_has_no_arrival_clock():
    wo = open_order(at(2025, 9, 22, 10), mode="carry_in")
    assert set(clocks(wo)) == {"respond", "resolve"}


def test_bad_service_class_is_refused_by_field():
    with pytest.raises(ValidationError) as caught:
        open_order(at(2025, 9, 22, 10), service_class="gold")
    assert "service_class" in caught.value.message_dict


# --- due times on calendars -------------------------------------------------------------


def test_urgent_round_the_clock_runs_across_midnight():
    wo = open_order(at(2025, 9, 22, 23, 30), priority="urgent")
    c = clocks(wo)
    assert c["respond"].due_at == at(2025, 9, 23, 0, 30)
    assert c["respond"].at_risk_at == at(2025, 9, 23, 0, 18)  # 80 % of an hour
    assert c["arrive"].due_at == at(2025, 9, 23, 3, 30)
    assert c["resolve"].due_at == at(2025, 9, 23, 23, 30)
    [row] = [
        r for r in display.sla_summary(wo, now=at(2025, 9, 23, 0, 10)) if r.target == "respond"
    ]
    assert row.state == "on_track" and row.left == timedelta(minutes=20)
    [row] = [
        r for r in display.sla_summary(wo, now=at(2025, 9, 23, 0, 20)) if r.target == "respond"
    ]
    assert row.state == "at_risk"


def test_urgent_default_ignores_the_holiday_friday_evening():
    """The seeded urgent policy is 24×7: National Day changes nothing."""
    wo = open_order(at(2025, 9, 26, 17, 30), priority="urgent")
    assert clocks(wo)["resolve"].due_at == at(2025, 9, 27, 17, 30)


def test_office_hours_urgent_opened_friday_1730_before_national_day_2025():
    """Friday 26 Sep 2025 17:30: Saturday off, Sunday 28 worked (调休), 1–8 Oct off,
    Saturday 11 Oct worked (调休). The dates are checked against chinese-calendar."""
    assert chinese_calendar.is_workday(date(2025, 9, 26))
    assert not chinese_calendar.is_workday(date(2025, 9, 27))
    assert chinese_calendar.is_workday(date(2025, 9, 28))  # Sunday, adjusted
    assert all(not chinese_calendar.is_workday(date(2025, 10, d)) for d in range(1, 9))
    assert date(2025, 10, 11).weekday() == 5 and chinese_calendar.is_workday(date(2025, 10, 11))
    SLAPolicy.objects.filter(code="urgent").update(
        calendar=office(), respond_minutes=45, arrive_minutes=4 * 60, resolve_minutes=6 * 8 * 60
    )
    wo = open_order(at(2025, 9, 26, 17, 30), priority="urgent")
    c = clocks(wo)
    # 30 min on Friday, then Sunday 28 from 9:00 (the adjusted working day)
    assert c["respond"].due_at == at(2025, 9, 28, 9, 15)
    assert c["arrive"].due_at == at(2025, 9, 28, 13, 30)  # lunch 12–13 does not count
    # 0.5 + 8 (Sun) + 8 (Mon) + 8 (Tue) + 8 (Thu 9) + 8 (Fri 10) + 7.5 on Saturday 11 Oct
    assert c["resolve"].due_at == at(2025, 10, 11, 17, 30)
    # at risk at 80 % of 48 h = 38 h 24: 32.5 h by Thursday 9 Oct, then 5 h 54 on Friday
    assert c["resolve"].at_risk_at == at(2025, 10, 10, 15, 54)
    # in the holiday no business time passes: 24.5 h used by Tuesday evening, 23.5 h left
    summary = display.sla_summary(wo, now=at(2025, 10, 3, 12))
    [resolve] = [r for r in summary if r.target == "resolve"]
    assert resolve.left == timedelta(hours=23, minutes=30)
    assert resolve.state == "on_track"


# --- pauses ---------------------------------------------------------------------------


def test_waiting_for_the_customer_pauses_and_resume_moves_the_due_time(engineer):
    wo = open_order(at(2025, 9, 22, 10))  # normal: respond 45 min on office hours
    assert clocks(wo)["respond"].due_at == at(2025, 9, 22, 10, 45)
    wo = transition(wo, "wait_customer", reason="客户不在家", when=at(2025, 9, 22, 10, 15))
    paused = clocks(wo)["respond"]
    assert paused.state == "paused" and paused.paused_at == at(2025, 9, 22, 10, 15)
    [row] = [r for r in display.sla_summary(wo, now=at(2025, 9, 22, 17)) if r.target == "respond"]
    assert row.state == "paused" and row.left == timedelta(minutes=30)
    assert display.filter_by_sla_state(WorkOrder.objects.all(), "paused", now=at(2025, 9, 22, 17))
    # paused 10:15–14:00: 1 h 45 + 1 h of business time (lunch excluded)
    wo = transition(wo, "resume", when=at(2025, 9, 22, 14))
    resumed = clocks(wo)["respond"]
    assert resumed.state == "running"
    assert resumed.paused_business_seconds == 2 * 3600 + 45 * 60
    assert resumed.paused_wall_seconds == 3 * 3600 + 45 * 60
    assert resumed.due_at == at(2025, 9, 22, 14, 30)
    assert resumed.at_risk_at == at(2025, 9, 22, 14, 21)  # 36 min of 45, moved the same
    wo = transition(wo, "assign", assignee=engineer, when=at(2025, 9, 22, 14, 5))
    assert clocks(wo)["respond"].state == "running"  # assigning is not the response
    wo = transition(wo, "accept", when=at(2025, 9, 22, 14, 20))
    met = clocks(wo)["respond"]
    assert met.state == "met" and not met.breached
    wo.refresh_from_db()
    # 10:00–14:20 is 3 h 20 of business time, less 2 h 45 paused
    assert wo.response_business_seconds == 35 * 60
    assert wo.response_wall_seconds == 4 * 3600 + 20 * 60


def test_waiting_for_parts_pauses_only_by_policy(engineer):
    def to_parts(priority: str) -> WorkOrder:
        wo = open_order(at(2025, 9, 22, 10), priority=priority)
        wo = transition(wo, "assign", assignee=engineer, when=at(2025, 9, 22, 10, 5))
        wo = transition(wo, "accept", when=at(2025, 9, 22, 10, 10))
        return transition(wo, "wait_parts", reason="等压缩机", when=at(2025, 9, 22, 10, 30))

    normal = clocks(to_parts("normal"))
    assert normal["resolve"].state == "paused" and normal["arrive"].state == "paused"
    urgent = clocks(to_parts("urgent"))
    assert urgent["resolve"].state == "running" and urgent["resolve"].paused_at is None


def test_cancel_stops_the_clocks():
    wo = open_order(at(2025, 9, 22, 10), priority="urgent")
    wo = transition(wo, "cancel", reason="客户撤销", when=at(2025, 9, 22, 10, 20))
    assert {c.state for c in clocks(wo).values()} == {"stopped"}
    assert escalate(at(2025, 9, 30)).breached == 0


# --- breaches and escalation ----------------------------------------------------------


def _to_resolved(wo: WorkOrder, engineer, start: datetime, resolve_after: timedelta):
    wo = transition(wo, "assign", assignee=engineer, when=start + timedelta(minutes=5))
    wo = transition(wo, "accept", when=start + timedelta(minutes=10))
    wo = transition(wo, "arrive", when=start + timedelta(hours=2))
    return transition(wo, "resolve", resolution="换电容", when=start + resolve_after)


def test_breached_stays_breached_after_resolution(engineer):
    start = at(2025, 9, 22, 8)
    wo = open_order(start, priority="urgent")
    wo = transition(wo, "assign", assignee=engineer, when=start + timedelta(minutes=5))
    wo = transition(wo, "accept", when=start + timedelta(minutes=10))
    wo = transition(wo, "arrive", when=start + timedelta(hours=2))
    escalate(start + timedelta(hours=23))  # at risk, not yet breached
    assert clocks(wo)["resolve"].at_risk and not clocks(wo)["resolve"].breached
    wo = transition(wo, "resolve", resolution="换电容", when=start + timedelta(hours=30))
    resolve = clocks(wo)["resolve"]
    assert resolve.state == "met" and resolve.breached
    assert resolve.breached_at == start + timedelta(hours=24)
    assert clocks(wo)["respond"].breached is False
    wo.refresh_from_db()
    assert wo.resolution_wall_seconds == 30 * 3600 == wo.resolution_business_seconds
    later = start + timedelta(days=3)
    assert escalate(later).breached == 0  # met clocks are not escalated again
    [row] = [r for r in display.sla_summary(wo, now=later) if r.target == "resolve"]
    assert row.state == "breached"
    assert list(display.filter_by_sla_state(WorkOrder.objects.all(), "breached", now=later)) == [wo]
    assert not display.filter_by_sla_state(WorkOrder.objects.all(), "met", now=later).exists()


def test_met_in_time_filters_as_met(engineer):
    start = at(2025, 9, 22, 8)
    wo = _to_resolved(open_order(start, priority="urgent"), engineer, start, timedelta(hours=3))
    qs = WorkOrder.objects.all()
    assert list(display.filter_by_sla_state(qs, "met", now=start + timedelta(days=2))) == [wo]
    for state in ("on_track", "at_risk", "breached", "paused"):
        assert not display.filter_by_sla_state(qs, state, now=start + timedelta(days=2)).exists()
    with pytest.raises(ValidationError) as caught:
        display.filter_by_sla_state(qs, "late")
    assert "sla_state" in caught.value.message_dict


def test_filter_by_state_before_the_job_has_run():
    start = at(2025, 9, 22, 8)
    wo = open_order(start, priority="urgent")
    qs = WorkOrder.objects.all()
    assert list(display.filter_by_sla_state(qs, "on_track", now=start)) == [wo]
    assert list(display.filter_by_sla_state(qs, "at_risk", now=start + timedelta(minutes=50))) == [
        wo
    ]
    assert list(display.filter_by_sla_state(qs, "breached", now=start + timedelta(hours=2))) == [wo]


def test_escalation_goes_to_the_regions_supervisor_once(make_user):
    zhejiang = make_user("supervisor", "sup-zj")
    hangzhou = make_user("supervisor", "sup-hz")
    make_user("supervisor", "sup-other")
    SupervisorRegion.objects.create(supervisor=zhejiang, region="33")
    SupervisorRegion.objects.create(supervisor=hangzhou, region="3301")
    start = at(2025, 9, 22, 8)
    wo = open_order(start, priority="urgent")
    first = escalate(start + timedelta(minutes=50))  # respond at risk (48 min)
    assert (first.at_risk, first.breached, first.escalations) == (1, 0, 1)
    [told] = SLAEscalation.objects.all()
    assert (told.recipient, told.level, told.target, told.work_order) == (
        hangzhou,
        "at_risk",
        "respond",
        wo,
    )
    assert told.at == start + timedelta(minutes=50) and told.due_at == at(2025, 9, 22, 9)
    again = escalate(start + timedelta(minutes=55))
    assert (again.at_risk, again.breached, again.escalations) == (0, 0, 0)
    later = escalate(start + timedelta(hours=1, minutes=5))
    assert (later.breached, later.escalations) == (1, 1)
    assert escalate(start + timedelta(hours=1, minutes=6)).escalations == 0
    assert SLAEscalation.objects.filter(level="breached", recipient=hangzhou).count() == 1
    assert SLAEscalation.objects.count() == 2


def test_a_region_without_supervisor_goes_to_all_supervisors(make_user):
    first, second = make_user("supervisor", "sup-a"), make_user("supervisor", "sup-b")
    beijing = make_user("supervisor", "sup-bj")
    SupervisorRegion.objects.create(supervisor=beijing, region="11")
    wo = open_order(at(2025, 9, 22, 8), priority="urgent")  # Hangzhou: no one maps
    escalate(at(2025, 9, 22, 9, 30))
    told = set(SLAEscalation.objects.filter(work_order=wo).values_list("recipient", "level"))
    everyone = {first.pk, second.pk, beijing.pk}
    assert {r for r, level in told if level == "breached"} == everyone


def test_with_no_supervisor_at_all_the_escalation_is_recorded_for_nobody():
    open_order(at(2025, 9, 22, 8), priority="urgent")
    assert escalate(at(2025, 9, 22, 9, 30)).escalations == 1
    assert escalate(at(2025, 9, 22, 9, 40)).escalations == 0
    [told] = SLAEscalation.objects.all()
    assert told.recipient is None and told.level == "breached"


def test_a_paused_clock_is_not_escalated_until_it_resumes():
    start = at(2025, 9, 22, 10)
    wo = open_order(start)
    transition(wo, "wait_customer", reason="等客户回电", when=start + timedelta(minutes=10))
    assert escalate(start + timedelta(days=1)).at_risk == 0
    transition(wo, "resume", when=start + timedelta(days=1))  # Tuesday 10:00, 35 min left
    assert clocks(wo)["respond"].due_at == at(2025, 9, 23, 10, 35)
    assert escalate(at(2025, 9, 23, 10, 40)).breached == 1


def test_command_and_beat_schedule(settings, capsys):
    from unitrace.celery import app

    open_order(at(2025, 9, 22, 8), priority="urgent")
    call_command("escalate_sla", "--at", "2025-09-22T10:00:00+08:00")
    assert "1 escalations" in capsys.readouterr().out
    entries = [
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "unitrace.service.escalate_sla"
    ]
    assert len(entries) == 1 and 0 < float(entries[0]["schedule"]) <= 3600
    app.loader.import_default_modules()
    assert "unitrace.service.escalate_sla" in app.tasks


# --- admin input ----------------------------------------------------------------------


def _policy_form(**kw) -> dict:
    base = {
        "code": "vip",
        "name_zh": "大客户",
        "name_en": "Key account",
        "active": "on",
        "service_class": "key_account",
        "priority": "",
        "kind": "",
        "region": "",
        "calendar": str(office().pk),
        "respond_minutes": "30",
        "arrive_minutes": "120",
        "resolve_minutes": "480",
        "at_risk_percent": "80",
    }
    return {**base, **kw}


def test_admin_refuses_negative_durations_and_thresholds_over_100(client, admin_user):
    client.force_login(admin_user)
    url = "/admin/service/slapolicy/add/"
    response = client.post(
        url, _policy_form(respond_minutes="-5", at_risk_percent="120", region="3")
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) >= {"respond_minutes", "at_risk_percent", "region"}
    assert not SLAPolicy.objects.filter(code="vip").exists()
    response = client.post(
        url, _policy_form(respond_minutes="", arrive_minutes="", resolve_minutes="")
    )
    assert "respond_minutes" in response.context["adminform"].form.errors
    response = client.post(url, _policy_form())
    assert response.status_code == 302
    assert SLAPolicy.objects.get(code="vip").respond_minutes == 30


def test_the_database_refuses_a_threshold_over_100_too():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        SLAPolicy.objects.filter(code="normal").update(at_risk_percent=101)


# --- the include ----------------------------------------------------------------------


def test_the_include_renders_each_target(engineer):
    from django.template.loader import render_to_string

    start = at(2025, 9, 22, 8)
    wo = open_order(start, priority="urgent")
    transition(wo, "assign", assignee=engineer, when=start + timedelta(minutes=5))
    transition(wo, "accept", when=start + timedelta(minutes=10))
    html = render_to_string(
        "service/_sla.html",
        {"sla_rows": display.sla_summary(wo, now=start + timedelta(hours=3, minutes=30))},
    )
    assert 'data-sla-target="respond" data-sla-state="met"' in html
    assert 'data-sla-target="arrive" data-sla-state="at_risk"' in html
    assert 'data-sla-target="resolve" data-sla-state="on_track"' in html
    assert "20 h 30 min" in html
    assert "status-in_service" in html  # the warning badge of the at-risk arrival
