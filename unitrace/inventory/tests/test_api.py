"""The inventory API: who may call what, and that each endpoint does its job."""

from datetime import timedelta

import pytest
from django.utils import timezone

from unitrace.core.models import ChangeLog
from unitrace.inventory import parts, stocktakes, transfers
from unitrace.inventory.models import MinStock, PartStock, Transfer
from unitrace.serials.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_units, warehouse, regional, van, bins, part):
    """Units in HQ, a draft and a dispatched transfer, an open count, parts with a minimum."""
    make_units(["U1", "U2", "U3"], warehouse, bin=bins["A1"])
    make_units(["V1", "V2", "V3"], warehouse)
    draft = transfers.create_transfer(warehouse, regional, units=[Unit.objects.get(serial="V1")])
    moving = transfers.create_transfer(warehouse, regional, units=[Unit.objects.get(serial="V2")])
    transfers.dispatch_transfer(moving)
    lost = transfers.create_transfer(warehouse, regional, units=[Unit.objects.get(serial="V3")])
    transfers.dispatch_transfer(lost)
    spare = transfers.create_transfer(warehouse, regional)
    count = stocktakes.open_stocktake(warehouse)
    other_count = stocktakes.open_stocktake(regional)
    parts.receive_parts(warehouse, part, 5, lot="L1", expiry=timezone.localdate() + timedelta(9))
    MinStock.objects.create(warehouse=warehouse, sku=part, minimum=10)
    return {
        "draft": draft,
        "moving": moving,
        "lost": lost,
        "spare": spare,
        "other_count": other_count,
        "count": count,
        "hq": warehouse,
    }


def endpoints(w) -> list[tuple[str, str, dict, str, int]]:
    """(method, url, body, a role that may, status it gets)."""
    hq, draft, moving, lost, count = w["hq"], w["draft"], w["moving"], w["lost"], w["count"]
    return [
        ("get", "/api/v1/warehouses/", {}, "agent", 200),
        ("get", f"/api/v1/warehouses/{hq.pk}/", {}, "agent", 200),
        ("get", f"/api/v1/warehouses/{hq.pk}/stock/", {}, "sales", 200),
        (
            "post",
            "/api/v1/warehouses/",
            {"code": "SC-1", "name": "服务中心", "level": "service_centre"},
            "admin",
            201,
        ),
        ("patch", f"/api/v1/warehouses/{hq.pk}/", {"city": "杭州市"}, "admin", 200),
        (
            "post",
            "/api/v1/unit-holds/",
            {"action": "quarantine", "serials": ["U1"], "reason": "r"},
            "quality",
            201,
        ),
        ("get", "/api/v1/transfers/", {}, "procurement", 200),
        ("get", f"/api/v1/transfers/{draft.pk}/", {}, "auditor", 200),
        (
            "post",
            "/api/v1/transfers/",
            {"from_warehouse": "HQ", "to_warehouse": "R-SH"},
            "warehouse",
            201,
        ),
        ("post", f"/api/v1/transfers/{draft.pk}/units/", {"serials": ["U2"]}, "warehouse", 200),
        ("post", f"/api/v1/transfers/{draft.pk}/dispatch/", {}, "warehouse", 200),
        ("post", f"/api/v1/transfers/{moving.pk}/receive/", {"serials": ["V2"]}, "warehouse", 200),
        ("post", f"/api/v1/transfers/{lost.pk}/close/", {"reason": "lost"}, "warehouse", 200),
        ("post", f"/api/v1/transfers/{w['spare'].pk}/cancel/", {}, "warehouse", 200),
        ("get", "/api/v1/stocktakes/", {}, "auditor", 200),
        ("get", f"/api/v1/stocktakes/{count.pk}/", {}, "manager", 200),
        ("post", "/api/v1/stocktakes/", {"warehouse": "VAN-7"}, "warehouse", 201),
        ("post", f"/api/v1/stocktakes/{count.pk}/scan/", {"code": "U1"}, "warehouse", 200),
        ("get", f"/api/v1/stocktakes/{count.pk}/report/", {}, "auditor", 200),
        ("post", f"/api/v1/stocktakes/{count.pk}/close/", {}, "manager", 200),
        ("post", f"/api/v1/stocktakes/{w['other_count'].pk}/cancel/", {}, "warehouse", 200),
        ("get", "/api/v1/part-stock/", {}, "engineer", 200),
        ("get", "/api/v1/part-stock/low/", {}, "auditor", 200),
        ("get", "/api/v1/part-stock/fefo/?warehouse=HQ&sku=SEAL-9&quantity=2", {}, "agent", 200),
        ("get", "/api/v1/part-moves/", {}, "auditor", 200),
        (
            "post",
            "/api/v1/part-moves/",
            {"type": "receive", "warehouse": "HQ", "sku": "SEAL-9", "quantity": 1},
            "warehouse",
            201,
        ),
        ("get", "/api/v1/min-stock/", {}, "manager", 200),
        (
            "post",
            "/api/v1/min-stock/",
            {"warehouse": "R-SH", "sku": "SEAL-9", "minimum": 2},
            "warehouse",
            201,
        ),
    ]


def call(client, method, url, body):
    return (
        getattr(client, method)(url, body, format="json")
        if body
        else getattr(client, method)(url, format="json")
    )


def test_every_endpoint_refuses_anonymous_and_users_without_permission(world, api, no_role_api):
    anonymous = api(None)
    distributor = api("distributor")
    for method, url, body, _role, _status in endpoints(world):
        assert call(anonymous, method, url, body).status_code == 401, url
        assert call(no_role_api, method, url, body).status_code == 403, url
        assert call(distributor, method, url, body).status_code == 403, url


def test_every_endpoint_serves_the_role_it_is_for(world, api):
    for method, url, body, role, expected in endpoints(world):
        response = call(api(role, f"{role}-{method}-{len(url)}"), method, url, body)
        assert response.status_code == expected, (url, response.content)


@pytest.mark.parametrize(
    ("role", "method", "path", "body"),
    [
        ("agent", "post", "/api/v1/transfers/", {"from_warehouse": "HQ", "to_warehouse": "R-SH"}),
        (
            "sales",
            "post",
            "/api/v1/unit-holds/",
            {"action": "block", "serials": ["U1"], "reason": "r"},
        ),
        (
            "engineer",
            "post",
            "/api/v1/part-moves/",
            {"type": "issue", "warehouse": "HQ", "sku": "SEAL-9", "quantity": 1},
        ),
        ("quality", "post", "/api/v1/stocktakes/", {"warehouse": "HQ"}),
        ("auditor", "get", "/api/v1/part-stock/", {}),
        ("warehouse", "post", "/api/v1/warehouses/", {"code": "X", "name": "x", "level": "hq"}),
    ],
)
def test_roles_get_only_their_rights(world, api, role, method, path, body):
    if role == "auditor":
        assert call(api(role), method, path, body).status_code == 200
        return
    assert call(api(role), method, path, body).status_code == 403


def test_warehouse_create_is_change_logged_and_stock_is_grouped(world, api, regional):
    client = api("admin")
    created = client.post(
        "/api/v1/warehouses/",
        {"code": "SC-9", "name": "杭州服务中心", "level": "service_centre", "parent": "HQ"},
    )
    assert created.status_code == 201 and created.json()["parent"] == "HQ"
    assert ChangeLog.objects.filter(object_type="places.warehouse", action="create").exists()
    stock = client.get(f"/api/v1/warehouses/{world['hq'].pk}/stock/").json()
    [row] = stock["skus"]
    assert row["sku"] == "AC-100" and row["total"] == 6
    assert row["statuses"]["in_stock"]["units"] == 4
    assert row["statuses"]["in_transit"]["units"] == 2
    assert "warehouse=HQ" in row["statuses"]["in_stock"]["url"]
    units = client.get(row["statuses"]["in_transit"]["url"]).json()
    assert sorted(u["serial"] for u in units["results"]) == ["V2", "V3"]
    inbound = client.get(f"/api/v1/warehouses/{regional.pk}/stock/").json()["inbound"]
    assert inbound == [
        {"transfer": t.number, "from": "HQ", "sku": "AC-100", "units": 1}
        for t in (world["moving"], world["lost"])
    ]


def test_transfer_round_trip_over_the_api(world, api, regional):
    client = api("warehouse")
    created = client.post(
        "/api/v1/transfers/",
        {"from_warehouse": "HQ", "to_warehouse": "R-SH", "serials": ["U1", "U2"]},
        format="json",
    )
    body = created.json()
    assert created.status_code == 201 and body["status"] == "draft" and body["units"] == 2
    pk = body["id"]
    assert client.post(f"/api/v1/transfers/{pk}/dispatch/").json()["status"] == "in_transit"
    refused = client.post(
        f"/api/v1/transfers/{pk}/receive/", {"serials": ["U1", "U3"]}, format="json"
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "not_on_transfer"
    assert refused.json()["rows"][0]["value"] == "U3"
    ok = client.post(f"/api/v1/transfers/{pk}/receive/", {"serials": ["U1"]}, format="json")
    assert ok.json() == {
        "status": "partially_received",
        "received": ["U1"],
        "already_received": [],
        "remaining": 1,
    }
    closed = client.post(f"/api/v1/transfers/{pk}/close/", {"reason": "运输丢失"}, format="json")
    assert closed.json() == {"missing": ["U2"]}
    assert Transfer.objects.get(pk=pk).closed_at is not None


def test_unknown_serials_refuse_the_whole_call(world, api):
    response = api("warehouse").post(
        "/api/v1/transfers/",
        {"from_warehouse": "HQ", "to_warehouse": "R-SH", "serials": ["U1", "NOPE"]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": "unknown_units",
        "detail": "1 codes do not name a unit; nothing was done",
        "field": None,
        "rows": [
            {
                "row": None,
                "field": "serial",
                "code": "unknown",
                "message": "no unit with serial NOPE",
                "value": "NOPE",
            }
        ],
    }
    assert Transfer.objects.count() == 4


def test_holds_need_a_reason_and_list_refusals(world, api):
    client = api("quality")
    missing_reason = client.post(
        "/api/v1/unit-holds/", {"action": "block", "serials": ["U1"], "reason": " "}, format="json"
    )
    assert missing_reason.status_code == 400
    client.post(
        "/api/v1/unit-holds/",
        {"action": "quarantine", "serials": ["U1"], "reason": "外观划伤"},
        format="json",
    )
    refused = client.post(
        "/api/v1/unit-holds/",
        {"action": "release", "serials": ["U1", "U2"], "reason": "复检合格"},
        format="json",
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "bulk_refused"
    assert refused.json()["rows"] == [
        {
            "row": None,
            "field": "serial",
            "code": "illegal_transition",
            "message": "a unit that is in stock cannot be released",
            "value": "U2",
        }
    ]
    assert Unit.objects.get(serial="U1").status == "quarantined"


def test_stocktake_scan_report_close_over_the_api(world, api):
    client = api("warehouse")
    pk = world["count"].pk
    one = client.post(f"/api/v1/stocktakes/{pk}/scan/", {"code": "U1", "bin": "A1"}).json()
    assert one["outcome"] == "counted" and one["counted"] == 1 and one["book"] == 4
    batch = client.post(
        f"/api/v1/stocktakes/{pk}/scan/", {"codes": ["U1", "U2"], "bin": "A2"}, format="json"
    ).json()
    assert batch["outcomes"]["duplicate"] == 1 and batch["outcomes"]["wrong_bin"] == 1
    bad_bin = client.post(f"/api/v1/stocktakes/{pk}/scan/", {"code": "U3", "bin": "ZZ"})
    assert bad_bin.status_code == 400 and bad_bin.json()["detail"] == "HQ has no bin ZZ"
    report = client.get(f"/api/v1/stocktakes/{pk}/report/").json()
    assert report["counts"] == {"missing": 2, "unexpected": 0, "misplaced": 1, "changed": 0}
    assert {r["unit__serial"] for r in report["missing"]} == {"U3", "V1"}
    no_reason = client.post(f"/api/v1/stocktakes/{pk}/close/", {"missing": "all"}, format="json")
    assert no_reason.status_code == 400 and no_reason.json()["code"] == "reason_required"
    closed = client.post(
        f"/api/v1/stocktakes/{pk}/close/",
        {"missing": "all", "misplaced": "all", "reason": "月度盘点"},
        format="json",
    ).json()
    assert closed["status"] == "closed" and closed["summary"]["adjusted"]["missing"] == 2
    assert Unit.objects.get(serial="U2").bin.code == "A2"
    again = client.post(f"/api/v1/stocktakes/{pk}/scan/", {"code": "U1"})
    assert again.status_code == 400 and again.json()["code"] == "not_open"


def test_part_moves_over_the_api(world, api, part):
    client = api("warehouse")
    issue = client.post(
        "/api/v1/part-moves/",
        {"type": "issue", "warehouse": "HQ", "sku": "SEAL-9", "quantity": 2, "reference": "WO-88"},
        format="json",
    )
    assert issue.status_code == 201 and issue.json()[0]["balance"] == 3
    too_many = client.post(
        "/api/v1/part-moves/",
        {"type": "issue", "warehouse": "HQ", "sku": "SEAL-9", "quantity": 9},
        format="json",
    )
    assert too_many.status_code == 400
    assert too_many.json()["detail"] == "only 3 usable SEAL-9 in HQ"
    transfer = client.post(
        "/api/v1/part-moves/",
        {"type": "transfer", "warehouse": "HQ", "sku": "SEAL-9", "quantity": 1},
        format="json",
    )
    assert transfer.status_code == 400 and transfer.json()["field"] == "to_warehouse"
    serialized = client.post(
        "/api/v1/part-moves/",
        {"type": "receive", "warehouse": "HQ", "sku": "AC-100", "quantity": 1},
        format="json",
    )
    assert serialized.status_code == 400 and serialized.json()["field"] == "sku"
    low = client.get("/api/v1/part-stock/low/").json()
    assert low == [
        {
            "warehouse": "HQ",
            "sku": "SEAL-9",
            "name": "密封圈",
            "minimum": 10,
            "usable": 3,
            "short": 7,
            "alert_since": None,
        }
    ]
    fefo = client.get(
        "/api/v1/part-stock/fefo/", {"warehouse": "HQ", "sku": "SEAL-9", "quantity": 5}
    ).json()
    assert fefo["short"] == 2 and fefo["lots"][0]["lot"] == "L1"
    assert PartStock.objects.get(lot="L1").quantity == 3


def test_adjust_and_force_need_their_own_permissions(world, api):
    manager = api("admin")
    assert (
        manager.post(
            "/api/v1/part-moves/",
            {
                "type": "adjust",
                "warehouse": "HQ",
                "sku": "SEAL-9",
                "quantity": -1,
                "lot": "L1",
                "reason": "破损",
            },
            format="json",
        ).status_code
        == 201
    )
    clerk_without_adjust = api("warehouse", "c2")
    clerk_without_adjust.user.groups.first().permissions.remove(
        *clerk_without_adjust.user.groups.first().permissions.filter(
            codename__in=["adjust_partstock", "issue_expired_parts"]
        )
    )
    denied = clerk_without_adjust.post(
        "/api/v1/part-moves/",
        {
            "type": "adjust",
            "warehouse": "HQ",
            "sku": "SEAL-9",
            "quantity": 1,
            "lot": "L1",
            "reason": "x",
        },
        format="json",
    )
    assert denied.status_code == 403
    forced = clerk_without_adjust.post(
        "/api/v1/part-moves/",
        {"type": "issue", "warehouse": "HQ", "sku": "SEAL-9", "quantity": 1, "force": True},
        format="json",
    )
    assert forced.status_code == 403
