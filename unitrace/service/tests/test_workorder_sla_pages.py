"""The SLA on the work-order pages: the detail shows each target's due time and state,
the list filters by SLA state."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from unitrace.service.models import SLAClock
from unitrace.service.workorders import Intake, open_work_order

pytestmark = pytest.mark.django_db
LIST = "/service/work-orders/"


def repair(priority: str, when):
    return open_work_order(
        Intake(
            contact_name="王先生",
            contact_phone="13800138000",
            serial_given="NO-SUCH-UNIT",
            address="浙江省杭州市西湖区文三路 1 号",
            priority=priority,
        ),
        channel="agent",
        when=when,
    )


@pytest.fixture
def orders(db):
    now = timezone.now()
    late = repair("urgent", now - timedelta(days=3))  # respond within 1 h: long breached
    fresh = repair("urgent", now - timedelta(minutes=1))
    return late, fresh


def test_the_detail_shows_each_target_and_its_state(orders, login):
    late, fresh = orders
    assert SLAClock.objects.filter(work_order=late).count() >= 2
    agent = login("agent", "sla-agent")
    page = agent.get(f"{LIST}{late.pk}/").content.decode()
    assert 'data-sla-target="respond"' in page
    assert 'data-sla-state="breached"' in page
    page = agent.get(f"{LIST}{fresh.pk}/").content.decode()
    assert 'data-sla-state="on_track"' in page
    assert 'data-sla-state="breached"' not in page


def test_the_list_filters_by_sla_state(orders, login):
    late, fresh = orders
    agent = login("agent", "sla-agent")
    breached = agent.get(LIST, {"sla_state": "breached"}).content.decode()
    assert late.number in breached and fresh.number not in breached
    on_track = agent.get(LIST, {"sla_state": "on_track"}).content.decode()
    assert fresh.number in on_track and late.number not in on_track
    refused = agent.get(LIST, {"sla_state": "late-ish"})
    assert refused.status_code == 200 and late.number not in refused.content.decode()
