"""Opening work orders and moving them through the transition table, with the ledger."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests import factories as f
from unitrace.serials.models import Unit, UnitEvent
from unitrace.serials.statuses import Status
from unitrace.service import access
from unitrace.service.models import FaultCategory, FaultCode, WorkOrder, WorkOrderFlag
from unitrace.service.states import ACTIONS, OPEN_STATES, State, actions_from, refusal
from unitrace.service.workorders import (
    DuplicateWorkOrder,
    Intake,
    WorkOrderRefused,
    open_work_order,
    transition,
)

pytestmark = pytest.mark.django_db
NOW = timezone.now()


@pytest.fixture
def sold_unit(sku, warehouse, customer):
    return f.UnitFactory(
        serial="WO1",
        sku=sku,
        registered=NOW - timedelta(days=40),
        history=[
            f.received(warehouse, when=NOW - timedelta(days=39)),
            f.delivered(customer, when=NOW - timedelta(days=30)),
        ],
    )


@pytest.fixture
def fault(db):
    category = FaultCategory.objects.create(code="COOL", name_zh="制冷", name_en="Cooling")
    return FaultCode.objects.create(
        category=category, code="E1", name_zh="不制冷", name_en="Not cooling"
    )


def intake(**kw) -> Intake:
    base = {
        "contact_name": "王先生",
        "contact_phone": "13800138000",
        "address": "浙江省杭州市西湖区文三路 1 号",
        "adcode": "330106",
        "address_resolved": True,
    }
    return Intake(**{**base, **kw})


def test_open_records_entitlement_number_and_first_transition(sold_unit, fault):
    wo = open_work_order(intake(unit=sold_unit, fault_code=fault), channel="agent")
    assert wo.number.startswith("WO-") and wo.number.endswith(f"{wo.pk:06d}")
    assert wo.state == State.NEW and wo.customer == sold_unit.holder
    assert wo.covered is True and wo.entitlement["state"] == "in_warranty"
    assert wo.entitlement["end"]
    assert wo.reported_fault == fault and wo.fault_code == fault
    assert list(wo.transitions.values_list("action", "to_state")) == [("open", "new")]
    assert wo.contact_phone_tail == "8000"


def test_every_bad_field_is_named_at_once(sold_unit):
    with pytest.raises(ValidationError) as caught:
        open_work_order(
            intake(
                contact_name="",
                contact_phone="12345",
                address="",
                priority="asap",
                window_start=NOW,
                window_end=NOW - timedelta(hours=1),
            ),
            channel="agent",
        )
    fields = set(caught.value.message_dict)
    assert fields == {"contact_name", "contact_phone", "address", "priority", "window_end"}
    assert not WorkOrder.objects.exists()


def test_duplicate_guard_until_the_caller_says_so(sold_unit):
    first = open_work_order(intake(unit=sold_unit), channel="agent")
    with pytest.raises(DuplicateWorkOrder) as caught:
        open_work_order(intake(unit=sold_unit), channel="api")
    assert caught.value.meta() == {"open_work_orders": [first.number]}
    second = open_work_order(intake(unit=sold_unit), channel="api", allow_duplicate=True)
    assert second.pk != first.pk
    # a repeated claim within the window is flagged on the second
    assert second.flags.filter(code=WorkOrderFlag.Code.REPEATED_CLAIM).exists()


def test_flags_for_an_unknown_serial_and_a_never_sold_unit(sku, warehouse):
    unknown = open_work_order(intake(serial_given="NOPE-1"), channel="public_page")
    assert set(unknown.flags.values_list("code", flat=True)) == {"unknown_serial"}
    assert unknown.covered is None
    in_stock = f.UnitFactory(serial="ST1", sku=sku, history=[f.received(warehouse)])
    wo = open_work_order(intake(unit=in_stock), channel="agent")
    assert "never_sold" in set(wo.flags.values_list("code", flat=True))
    assert wo.flag_count == wo.flags.count()


def test_expired_warranty_is_flagged(sku, warehouse, customer):
    old = f.UnitFactory(
        serial="OLD1",
        sku=sku,
        registered=NOW - timedelta(days=1200),
        history=[
            f.received(warehouse, when=NOW - timedelta(days=1199)),
            f.delivered(customer, when=NOW - timedelta(days=1100)),
        ],
    )
    wo = open_work_order(intake(unit=old), channel="agent")
    assert wo.covered is False and wo.entitlement["state"] == "expired"
    assert wo.flags.filter(code="warranty_expired").exists()


def test_a_phone_claiming_many_units_is_flagged(settings, sku, warehouse, customer):
    settings.UNITRACE_PHONE_UNITS_LIMIT = 2
    units = [
        f.UnitFactory(
            serial=f"PH{i}",
            sku=sku,
            history=[f.received(warehouse), f.delivered(customer)],
        )
        for i in range(3)
    ]
    orders = [open_work_order(intake(unit=u), channel="api") for u in units]
    assert not orders[1].flags.filter(code="phone_many_units").exists()
    assert orders[2].flags.filter(code="phone_many_units").exists()


def walk(wo, *steps, **kw):
    for action in steps:
        extra = dict(kw)
        if ACTIONS[action].needs_reason:
            extra.setdefault("reason", f"because {action}")
        wo = transition(wo, action, **extra)
    return wo


def test_the_happy_path_reaches_the_ledger(sold_unit, make_user):
    engineer = make_user("engineer")
    wo = open_work_order(intake(unit=sold_unit), channel="agent")
    wo = transition(wo, "assign", assignee=engineer)
    wo = walk(wo, "accept", "start_travel", "arrive")
    assert Unit.objects.get(pk=sold_unit.pk).status == Status.IN_SERVICE
    wo = transition(wo, "resolve", resolution="换了电容")
    assert Unit.objects.get(pk=sold_unit.pk).status == Status.SOLD
    wo = transition(wo, "close")
    assert wo.state == State.CLOSED
    assert wo.assigned_at and wo.accepted_at and wo.arrived_at and wo.resolved_at
    events = UnitEvent.objects.filter(unit=sold_unit, ref_type="WO")
    assert list(events.values_list("type", flat=True)) == ["service_in", "repaired"]
    assert set(events.values_list("ref_id", flat=True)) == {wo.number}
    steps = list(wo.transitions.values_list("from_state", "to_state"))
    assert steps == [
        ("", "new"),
        ("new", "assigned"),
        ("assigned", "accepted"),
        ("accepted", "travelling"),
        ("travelling", "on_site"),
        ("on_site", "resolved"),
        ("resolved", "closed"),
    ]


def test_pause_resumes_into_the_state_it_left(sold_unit, make_user):
    wo = open_work_order(intake(unit=sold_unit), channel="agent")
    wo = transition(wo, "assign", assignee=make_user("engineer"))
    wo = walk(wo, "accept", "arrive", "wait_parts")
    assert wo.state == State.WAITING_PARTS and wo.resume_state == State.ON_SITE
    wo = walk(wo, "resume")
    assert wo.state == State.ON_SITE and wo.resume_state == ""
    wo = walk(wo, "wait_customer", "resume")
    assert wo.state == State.ON_SITE


@pytest.mark.parametrize("state", sorted(State.values))
def test_the_table_refuses_everything_it_does_not_list(state):
    for name, action in ACTIONS.items():
        assert (refusal(name, state) is None) == (state in action.sources)
    assert {a.name for a in actions_from(state)} == {
        n for n, a in ACTIONS.items() if state in a.sources
    }


def test_illegal_steps_are_refused_with_the_reason(sold_unit):
    wo = open_work_order(intake(unit=sold_unit), channel="agent")
    with pytest.raises(WorkOrderRefused) as caught:
        transition(wo, "resolve")
    assert caught.value.code == "illegal_transition"
    assert "new" in str(caught.value)
    with pytest.raises(ValidationError) as missing:
        transition(wo, "cancel")
    assert "reason" in missing.value.message_dict
    with pytest.raises(ValidationError):
        transition(wo, "assign")
    assert wo.transitions.count() == 1


def test_cancel_after_work_started_gives_the_unit_back(sold_unit, make_user):
    wo = open_work_order(intake(unit=sold_unit), channel="agent")
    wo = transition(wo, "assign", assignee=make_user("engineer"))
    wo = walk(wo, "accept", "arrive", "cancel")
    assert wo.state == State.CANCELLED and wo.cancel_reason == "because cancel"
    unit = Unit.objects.get(pk=sold_unit.pk)
    assert unit.status == Status.SOLD
    last = UnitEvent.objects.filter(unit=unit).order_by("-id").first()
    assert last.details.get("outcome") == "not_repaired"


def test_reopen_only_within_the_window(settings, sold_unit, make_user):
    settings.UNITRACE_REOPEN_DAYS = 7
    wo = open_work_order(intake(unit=sold_unit), channel="agent")
    wo = transition(wo, "assign", assignee=make_user("engineer"))
    wo = walk(wo, "accept", "arrive", "resolve", "close")
    later = wo.closed_at + timedelta(days=8)
    with pytest.raises(WorkOrderRefused):
        transition(wo, "reopen", reason="又坏了", when=later)
    wo = transition(wo, "reopen", reason="又坏了", when=wo.closed_at + timedelta(days=6))
    assert wo.state == State.REOPENED and wo.reopen_count == 1 and wo.closed_at is None
    assert wo.state in OPEN_STATES


def test_an_installation_installs_the_unit(sku, warehouse, customer, make_user):
    unit = f.UnitFactory(
        serial="IN1", sku=sku, history=[f.received(warehouse), f.delivered(customer)]
    )
    wo = open_work_order(intake(unit=unit, kind="installation"), channel="agent")
    wo = transition(wo, "assign", assignee=make_user("engineer"))
    walk(wo, "accept", "arrive", "resolve")
    assert Unit.objects.get(pk=unit.pk).status == Status.INSTALLED


def test_a_step_the_ledger_refuses_writes_nothing(sold_unit, make_user):
    wo = open_work_order(intake(unit=sold_unit, kind="installation"), channel="agent")
    wo = transition(wo, "assign", assignee=make_user("engineer"))
    wo = walk(wo, "accept", "arrive")
    f.play(sold_unit, f.event("scrapped"))
    with pytest.raises(WorkOrderRefused) as caught:
        transition(wo, "resolve")
    assert caught.value.code == "ledger_refused"
    assert WorkOrder.objects.get(pk=wo.pk).state == State.ON_SITE


def test_scope_and_who_may_take_which_step(sold_unit, make_user, db):
    partner = f.PartyFactory(kind="service_partner", code="SP1", name="网点一")
    engineer = make_user("engineer")
    other = make_user("engineer", "engineer-2")
    agent = make_user("agent")
    partner_login = f.UserFactory(role="distributor", username="sp-user", party=partner)
    wo = open_work_order(intake(unit=sold_unit), channel="agent")
    wo = transition(wo, "assign", assignee=engineer)
    assert access.may_view(agent, wo)
    assert access.may_view(engineer, wo) and not access.may_view(other, wo)
    assert not access.may_view(partner_login, wo)
    WorkOrder.objects.filter(pk=wo.pk).update(partner=partner)
    assert access.may_view(partner_login, wo)
    assert access.may(engineer, wo, "accept") and not access.may(other, wo, "accept")
    assert not access.may(agent, wo, "accept") and access.may(agent, wo, "cancel")
    assert not access.may(engineer, wo, "assign") and not access.may(engineer, wo, "close")
    assert access.may(make_user("dispatcher"), wo, "assign")
