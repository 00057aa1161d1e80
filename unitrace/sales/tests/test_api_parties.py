"""Customers, distributors and channels over the API: validation, masking, change log."""

from __future__ import annotations

import pytest

from unitrace.core.models import ChangeLog
from unitrace.core.testing.errors import field_errors
from unitrace.parties.models import AuthorizedRegion, Party

pytestmark = pytest.mark.django_db

PERSON = {
    "name": "王五",
    "is_company": False,
    "phone": "138 1234 5678",
    "province": "江苏省",
    "city": "苏州市",
    "district": "姑苏区",
    "address": "星湖街 328 号",
}


def test_create_and_edit_a_customer_is_change_logged(api):
    client = api("sales")
    response = client.post("/api/v1/customers/", PERSON, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["phone"] == "13812345678" and body["code"].startswith("C")
    assert body["region"] == "江苏省/苏州市/姑苏区"
    party = Party.objects.get(pk=body["id"])
    assert party.kind == "customer"
    edited = client.patch(
        f"/api/v1/customers/{party.pk}/", {"phone": "0512-66668888"}, format="json"
    )
    assert edited.status_code == 200 and edited.json()["phone"] == "0512-66668888"
    logs = ChangeLog.objects.filter(object_type="parties.party", object_id=str(party.pk))
    assert [entry.action for entry in logs.order_by("id")] == ["create", "update"]
    assert logs.order_by("id").last().after == {"id": party.pk, "phone": "0512-66668888"}


@pytest.mark.parametrize("phone", ["12345", "1381234567", "23812345678", "abc"])
def test_invalid_phones_are_refused(api, phone):
    response = api("sales").post("/api/v1/customers/", {**PERSON, "phone": phone}, format="json")
    assert response.status_code == 400
    assert "Chinese mobile" in field_errors(response.json())["phone"][0]
    assert not Party.objects.filter(kind="customer").exists()


@pytest.mark.parametrize(
    "phone", ["13812345678", "+86 13812345678", "010-12345678", "057188886666"]
)
def test_valid_phones(api, phone):
    response = api("sales").post("/api/v1/customers/", {**PERSON, "phone": phone}, format="json")
    assert response.status_code == 201, response.json()


def test_pii_is_masked_in_lists_and_details_without_view_pii(api, customer):
    for role, phone, address in (
        ("sales", "13812341234", "文三路 100 号"),
        ("auditor", "138****1234", "文三****"),
    ):
        client = api(role)
        listed = client.get("/api/v1/customers/").json()["results"][0]
        detail = client.get(f"/api/v1/customers/{customer.pk}/").json()
        assert listed["phone"] == detail["phone"] == phone
        assert listed["address"] == detail["address"] == address
    # no searching by phone digits without the right to see phones
    assert api("auditor", "aud2").get("/api/v1/customers/", {"q": "1234"}).json()["count"] == 0
    assert api("sales", "s2").get("/api/v1/customers/", {"q": "1234"}).json()["count"] == 1


def test_distributor_with_regions(api):
    client = api("sales")
    response = client.post(
        "/api/v1/distributors/",
        {
            "code": "D9",
            "name": "浙江经销商",
            "phone": "0571-88886666",
            "regions": [{"province": "浙江省"}, {"province": "江苏省", "city": "苏州市"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    party = Party.objects.get(code="D9")
    assert response.json()["regions"] == [
        {"province": "浙江省", "city": ""},
        {"province": "江苏省", "city": "苏州市"},
    ]
    changed = client.patch(
        f"/api/v1/distributors/{party.pk}/",
        {"regions": [{"province": "浙江"}, {"province": "上海市"}]},
        format="json",
    )
    assert changed.status_code == 200
    assert sorted(
        AuthorizedRegion.objects.filter(party=party).values_list("province", flat=True)
    ) == ["上海市", "浙江省"]  # 浙江 == 浙江省: kept as it was
    region_logs = ChangeLog.objects.filter(object_type="parties.authorizedregion")
    assert sorted(region_logs.values_list("action", flat=True)) == [
        "create",
        "create",
        "create",
        "delete",
    ]
    # a customer is not a distributor
    assert client.get("/api/v1/distributors/", {"q": "浙江"}).json()["count"] == 1


def test_customer_endpoint_does_not_edit_distributors(api, distributor):
    response = api("sales").patch(
        f"/api/v1/distributors/{distributor.pk}/", {"name": "x"}, format="json"
    )
    assert response.status_code == 200
    assert (
        api("sales", "s2")
        .patch(f"/api/v1/customers/{distributor.pk}/", {"name": "y"}, format="json")
        .status_code
        == 404
    )


def test_channels(api):
    client = api("sales")
    response = client.post(
        "/api/v1/channels/", {"code": "TM", "name": "天猫", "kind": "ecommerce"}, format="json"
    )
    assert response.status_code == 201
    bad = client.post(
        "/api/v1/channels/", {"code": "X", "name": "x", "kind": "shop"}, format="json"
    )
    assert bad.status_code == 400
    pk = response.json()["id"]
    assert (
        client.patch(f"/api/v1/channels/{pk}/", {"active": False}, format="json").json()["active"]
        is False
    )
    assert ChangeLog.objects.filter(object_type="sales.saleschannel").count() == 2
