"""Returns with each inspection result, and exchanges with the warranty rule."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories as f
from unitrace.serials.models import Unit, UnitEvent
from unitrace.service.models import RMA, Exchange
from unitrace.service.returns import ReturnRefused, create_return, exchange_unit
from unitrace.warranty.models import ExchangeWarrantyRule
from unitrace.warranty.services import effective_start

pytestmark = pytest.mark.django_db


@pytest.fixture
def sold(order, stock, warehouse):
    stock(["R1", "R2", "R3", "N1", "N2"])
    f.delivery(order, warehouse, "R1 R2 R3", when=timezone.now() - timedelta(days=20))
    return {u.serial: u for u in Unit.objects.all()}


def test_return_with_each_inspection_result(sold, api, warehouse, customer):
    client = api("agent")
    response = client.post(
        "/api/v1/returns/",
        {
            "warehouse": "HQ",
            "reason": "七天无理由退货",
            "lines": [
                {"serial": "R1", "result": "resaleable"},
                {"serial": "R2", "result": "repair"},
                {"serial": "R3", "result": "scrap"},
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "closed" and body["holder"]["code"] == "C1"
    status = {
        u.serial: (u.status, u.warehouse_id)
        for u in Unit.objects.filter(serial__in=["R1", "R2", "R3"])
    }
    assert status == {
        "R1": ("in_stock", warehouse.pk),
        "R2": ("in_service", warehouse.pk),
        "R3": ("scrapped", None),
    }
    types = list(
        UnitEvent.objects.filter(unit__serial="R1", ref_type="RMA").values_list("type", flat=True)
    )
    assert types == ["returned", "received"]
    assert Unit.objects.get(serial="R1").holder is None


def test_return_then_inspect_later(sold, api):
    client = api("warehouse")
    created = client.post(
        "/api/v1/returns/",
        {"warehouse": "HQ", "reason": "质量问题", "lines": [{"serial": "R1"}]},
        format="json",
    )
    assert created.status_code == 201
    rma = created.json()
    assert rma["status"] == "open" and rma["lines"][0]["result"] == "pending"
    assert Unit.objects.get(serial="R1").status == "returned"
    url = f"/api/v1/returns/{rma['id']}/inspect/"
    done = client.post(url, {"lines": [{"serial": "R1", "result": "repair"}]}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "closed"
    assert Unit.objects.get(serial="R1").status == "in_service"
    twice = client.post(url, {"lines": [{"serial": "R1", "result": "scrap"}]}, format="json")
    assert twice.status_code == 400
    assert twice.json()["rows"][0]["message"].startswith("already inspected")
    stranger = client.post(url, {"lines": [{"serial": "R2", "result": "scrap"}]}, format="json")
    assert stranger.status_code == 400 and stranger.json()["rows"][0]["code"] == "unknown"


def test_return_refuses_units_that_are_not_out(sold, api):
    response = api("agent").post(
        "/api/v1/returns/",
        {
            "warehouse": "HQ",
            "reason": "x",
            "lines": [{"serial": "R1"}, {"serial": "N1"}, {"serial": "NOPE"}],
        },
        format="json",
    )
    assert response.status_code == 400
    rows = response.json()["rows"]
    assert [(r["row"], r["code"]) for r in rows] == [(3, "unknown_serial")]
    response = api("agent", "agent2").post(
        "/api/v1/returns/",
        {"warehouse": "HQ", "reason": "x", "lines": [{"serial": "R1"}, {"serial": "N1"}]},
        format="json",
    )
    assert response.json()["rows"] == [
        {
            "row": 2,
            "field": "serial",
            "value": "N1",
            "code": "illegal_transition",
            "message": "a unit that is in stock cannot be returned",
        }
    ]
    assert RMA.objects.count() == 0 and Unit.objects.get(serial="R1").status == "sold"


def test_exchange_carries_the_warranty_over(sold, api, customer, sku):
    response = api("agent").post(
        "/api/v1/exchanges/",
        {
            "old_serial": "R1",
            "new_serial": "N1",
            "warehouse": "HQ",
            "reason": "开箱损坏",
            "result": "repair",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["carry_over"] is True
    old, new = Unit.objects.get(serial="R1"), Unit.objects.get(serial="N1")
    assert new.holder == customer and new.status == "sold"
    assert old.status == "in_service"
    event = UnitEvent.objects.get(unit=new, type="delivered")
    assert event.details["exchange_for"] == "R1"
    assert event.replaces_id == old.pk
    assert effective_start(new) == old.sold_at
    assert effective_start(old) is None


def test_exchange_restarts_the_warranty_when_the_sku_says_so(sold, sku, customer):
    ExchangeWarrantyRule.objects.create(sku=sku, mode="restart")
    get = Unit.objects.get
    exchange = exchange_unit(
        get(serial="R1"), get(serial="N1"), get(serial="N1").warehouse, reason="换新"
    )
    assert exchange.carry_over is False
    assert effective_start(get(serial="N1")) is None


def test_carry_over_through_two_exchanges(sold, warehouse):
    get = Unit.objects.get
    original = get(serial="R1").sold_at
    exchange_unit(get(serial="R1"), get(serial="N1"), warehouse, reason="坏")
    exchange_unit(get(serial="N1"), get(serial="N2"), warehouse, reason="又坏")
    assert effective_start(get(serial="N2")) == original
    assert Exchange.objects.count() == 2


def test_exchange_checks(sold, api, other_sku, stock):
    client = api("agent")

    def post(old, new):
        return client.post(
            "/api/v1/exchanges/",
            {"old_serial": old, "new_serial": new, "warehouse": "HQ", "reason": "x"},
            format="json",
        )

    assert "R2: already delivered / sold" in post("R1", "R2").json()["detail"]
    assert "no holder" in post("N1", "N2").json()["detail"]
    stock(["W1"], sku_=other_sku)
    assert "same SKU" in post("R1", "W1").json()["detail"]
    assert post("R1", "NOPE").status_code == 404
    assert Exchange.objects.count() == 0 and RMA.objects.count() == 0


def test_return_needs_a_reason(sold, warehouse):
    with pytest.raises(Exception, match="reason"):
        create_return([Unit.objects.get(serial="R1")], warehouse, reason=" ")
    with pytest.raises(ReturnRefused):
        create_return([], warehouse, reason="x")


def test_a_unit_inspected_for_repair_leaves_repair_through_its_depot_work_order(
    sold, warehouse, make_user
):
    from unitrace.service.models import WorkOrder
    from unitrace.service.workorders import transition

    rma = create_return([sold["R1"]], warehouse, reason="不制冷", results={sold["R1"].pk: "repair"})
    wo = WorkOrder.objects.get(rma=rma)
    assert (wo.unit, wo.channel, wo.mode, wo.state) == (sold["R1"], "rma", "carry_in", "new")
    assert wo.customer == rma.holder and wo.description == "不制冷"
    assert Unit.objects.get(pk=sold["R1"].pk).status == "in_service"
    wo = transition(wo, "assign", assignee=make_user("engineer"))
    for action in ("accept", "arrive", "resolve"):
        wo = transition(wo, action)
    unit = Unit.objects.get(pk=sold["R1"].pk)
    assert unit.status != "in_service"
    steps = UnitEvent.objects.filter(unit=unit).order_by("id").values_list("type", "ref_type")
    assert list(steps)[-3:] == [("returned", "RMA"), ("service_in", "RMA"), ("repaired", "WO")]
