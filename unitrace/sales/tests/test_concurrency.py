"""Parallel HTTP requests on PostgreSQL: row locks decide, exactly one delivery wins."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Callable

import pytest

from tests import factories as f
from unitrace.sales.models import Delivery, DeliveryItem, SellThrough
from unitrace.sales.orders import create_order
from unitrace.serials.models import Unit, UnitEvent

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def race(workers: int, work: Callable[[int], object]) -> list:
    """Start ``workers`` threads at the same instant; return their results in order."""
    barrier = threading.Barrier(workers)
    results: list = [None] * workers

    def run(index: int) -> None:
        barrier.wait()
        results[index] = work(index)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def post(base: str, token: str, path: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(
        f"{base}{path}",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture
def tokens(make_user):
    from unitrace.accounts.services import sync_roles

    sync_roles()  # a transactional test starts from a flushed database

    def make(role: str, count: int, party=None) -> list[str]:
        users = [
            f.UserFactory(role=role, username=f"{role}-{i}", party=party) for i in range(count)
        ]
        return [f.api_key(u) for u in users]

    return make


def test_two_deliveries_of_the_same_unit_exactly_one_succeeds(
    live_server, tokens, stock, sku, customer, distributor
):
    stock(["RACE1", "RACE2"])
    orders = [create_order(customer, [(sku, 2)]), create_order(distributor, [(sku, 2)])]
    keys = tokens("warehouse", 2)

    def deliver(i: int):
        return post(
            live_server.url,
            keys[i],
            "/api/v1/deliveries/",
            {"order": orders[i].number, "warehouse": "HQ", "serials": ["RACE1", "RACE2"]},
        )

    results = race(2, deliver)
    codes = sorted(code for code, _body in results)
    assert codes == [201, 400], results
    loser = next(body for code, body in results if code == 400)
    assert {r["code"] for r in loser["rows"]} == {"already_sold"}
    assert Delivery.objects.count() == 1 and DeliveryItem.objects.count() == 2
    winner = Delivery.objects.get()
    assert set(Unit.objects.values_list("holder", flat=True)) == {winner.buyer_id}
    assert UnitEvent.objects.filter(type="delivered").count() == 2


def test_parallel_partial_deliveries_never_over_deliver(live_server, tokens, stock, sku, customer):
    stock([f"OV{i}" for i in range(6)])
    order = create_order(customer, [(sku, 4)])
    keys = tokens("warehouse", 3)
    lists = [["OV0", "OV1"], ["OV2", "OV3"], ["OV4", "OV5"]]

    results = race(
        3,
        lambda i: post(
            live_server.url,
            keys[i],
            "/api/v1/deliveries/",
            {"order": order.number, "warehouse": "HQ", "serials": lists[i]},
        ),
    )
    assert sorted(code for code, _b in results) == [201, 201, 400], results
    loser = next(body for code, body in results if code == 400)
    # refused row by row, or as a whole when the order was already complete
    assert {r["code"] for r in loser["rows"]} == {"over_delivery"} or (
        loser["rows"] == [] and "nothing more can be delivered" in loser["detail"]
    )
    order.refresh_from_db()
    assert order.status == "delivered" and order.lines.get().delivered == 4
    assert Unit.objects.filter(status="sold").count() == 4


def test_one_unit_sold_through_twice_at_once(live_server, tokens, stock, sku, distributor):
    unit = stock(["ST1"])[0]
    f.delivery(f.SalesOrderFactory(buyer=distributor, lines=[(sku, 1)]), unit.warehouse, "ST1")
    keys = tokens("distributor", 2, party=distributor)
    results = race(
        2,
        lambda i: post(
            live_server.url,
            keys[i],
            "/api/v1/sell-through/",
            {"serial": "ST1", "customer_name": f"客户{i}", "customer_phone": f"1390000000{i}"},
        ),
    )
    assert sorted(code for code, _b in results) == [201, 400], results
    assert SellThrough.objects.count() == 1
    assert UnitEvent.objects.filter(type="sold_through").count() == 1
