"""Overlapping escalation runs and hostile policy input, on PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from tests import factories as f
from unitrace.sales.tests.test_concurrency import race
from unitrace.service.models import SLAEscalation, SLAPolicy, SupervisorRegion
from unitrace.service.sla.escalation import escalate
from unitrace.service.tests.test_sla import _policy_form
from unitrace.service.workorders import Intake, open_work_order, transition

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
SH = ZoneInfo("Asia/Shanghai")
START = datetime(2025, 9, 22, 8, tzinfo=SH)


@pytest.fixture(autouse=True)
def _migration_data():
    """The calendars and SLA policies every migrated database starts with: a flushing
    test elsewhere in the run removes them, so their migrations' own (idempotent)
    functions put them back."""
    from importlib import import_module

    from django.apps import apps

    import_module("unitrace.calendars.migrations.0002_default_calendars").create(apps, None)
    import_module("unitrace.service.migrations.0009_sla_default_policies").create(apps, None)
    from unitrace.accounts.services import sync_roles

    sync_roles()  # the roles' groups, flushed too


@pytest.fixture
def orders():
    from unitrace.accounts.services import sync_roles

    sync_roles()
    hangzhou = f.UserFactory(role="supervisor", username="sup-hz")
    f.UserFactory(role="supervisor", username="sup-other")
    SupervisorRegion.objects.create(supervisor=hangzhou, region="3301")
    addresses = ["浙江省杭州市西湖区文三路 1 号", "北京市朝阳区建国路 1 号"]
    return [
        open_work_order(
            Intake(
                contact_name="王先生",
                contact_phone="13800138000",
                address=addresses[i % 2],
                priority="urgent",
            ),
            channel="agent",
            when=START,
        )
        for i in range(6)
    ]


def run(when):
    try:
        return escalate(when)
    finally:
        connection.close()


def test_overlapping_runs_escalate_each_clock_once(orders):
    when = START + timedelta(hours=1, minutes=30)  # respond breached, arrive not yet at risk
    results = race(2, lambda i: run(when))
    assert all(r is not None for r in results)
    assert sorted(r.breached for r in results) == [0, 6]
    # Hangzhou orders go to their supervisor, Beijing ones to both supervisors
    assert SLAEscalation.objects.count() == 3 * 1 + 3 * 2
    assert sum(r.escalations for r in results) == SLAEscalation.objects.count()
    pairs = list(SLAEscalation.objects.values_list("clock", "level", "recipient"))
    assert len(pairs) == len(set(pairs))
    # a third run, later, finds nothing new for the same level
    assert escalate(when + timedelta(minutes=5)).breached == 0


def test_many_overlapping_runs_and_a_step_at_once(orders):
    engineer = f.UserFactory(role="engineer", username="eng-sla")
    wo = transition(orders[0], "assign", assignee=engineer, when=START + timedelta(minutes=1))
    when = START + timedelta(minutes=50)  # respond at risk

    def work(i: int):
        if i == 4:
            try:
                return transition(wo.pk, "accept", when=when)
            finally:
                connection.close()
        return run(when)

    results = race(5, work)
    # nobody deadlocked: every run and the step finished
    assert all(r is not None for r in results)
    assert results[4].state == "accepted"
    runs = results[:4]
    assert sum(r.escalations for r in runs) == SLAEscalation.objects.count()
    at_risk = SLAEscalation.objects.filter(level="at_risk")
    pairs = list(at_risk.values_list("clock", "recipient"))
    assert len(pairs) == len(set(pairs))
    # five of the six response clocks surely, the accepted one if a run came first
    assert at_risk.values("clock").distinct().count() in (5, 6)


def test_admin_refuses_nul_bytes_and_out_of_range_integers(client):
    admin = f.UserFactory(role="admin", username="root-sla")
    client.force_login(admin)
    url = "/admin/service/slapolicy/add/"
    # a NUL never reaches PostgreSQL: the request is refused naming the field
    response = client.post(url, _policy_form(name_zh="大客\x00户"))
    assert response.status_code == 400 and "name_zh" in response.content.decode()
    # beyond a PostgreSQL integer: a form error on each field, not a 500
    response = client.post(
        url, _policy_form(respond_minutes="99999999999", at_risk_percent="70000")
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert {"respond_minutes", "at_risk_percent"} <= set(errors)
    assert not SLAPolicy.objects.filter(code="vip").exists()
