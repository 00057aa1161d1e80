"""Concurrent steps on one work order, on PostgreSQL: the row lock serializes them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tests import factories as f
from unitrace.sales.tests.test_concurrency import race
from unitrace.serials.models import UnitEvent
from unitrace.service.models import WorkOrder
from unitrace.service.states import State
from unitrace.service.workorders import (
    DuplicateWorkOrder,
    Intake,
    WorkOrderRefused,
    open_work_order,
    transition,
)

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def unit(sku, warehouse, customer):
    from unitrace.accounts.services import sync_roles

    sync_roles()
    now = timezone.now()
    return f.UnitFactory(
        serial="RACE-WO",
        sku=sku,
        registered=now - timedelta(days=3),
        history=[
            f.received(warehouse, when=now - timedelta(days=2)),
            f.delivered(customer, when=now - timedelta(days=1)),
        ],
    )


def intake(unit) -> Intake:
    return Intake(
        contact_name="李女士",
        contact_phone="13900139000",
        address="上海市浦东新区世纪大道 100 号",
        adcode="310115",
        address_resolved=True,
        unit=unit,
    )


def outcome(call):
    try:
        return call()
    except (WorkOrderRefused, DuplicateWorkOrder) as refused:
        return refused.code
    finally:
        connection.close()


def test_ten_simultaneous_intakes_of_one_unit_open_one_work_order(unit):
    results = race(10, lambda i: outcome(lambda: open_work_order(intake(unit), channel="api")))
    opened = [r for r in results if isinstance(r, WorkOrder)]
    assert len(opened) == 1
    assert (
        sorted(r for r in results if not isinstance(r, WorkOrder))
        == ["duplicate_open_work_order"] * 9
    )
    assert WorkOrder.objects.filter(unit=unit).count() == 1


def test_simultaneous_arrivals_record_one_service_in(unit):
    engineer = f.UserFactory(role="engineer", username="eng-race")
    wo = open_work_order(intake(unit), channel="agent")
    wo = transition(wo, "assign", assignee=engineer)
    wo = transition(wo, "accept", user=engineer)
    results = race(8, lambda i: outcome(lambda: transition(wo.pk, "arrive", user=engineer)))
    assert sum(isinstance(r, WorkOrder) for r in results) == 1
    assert [r for r in results if not isinstance(r, WorkOrder)] == ["illegal_transition"] * 7
    assert WorkOrder.objects.get(pk=wo.pk).state == State.ON_SITE
    assert UnitEvent.objects.filter(unit=unit, type="service_in").count() == 1
    assert wo.transitions.filter(action="arrive").count() == 1
