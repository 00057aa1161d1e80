"""/api/v1/verify/ (public) and /api/v1/diversion-alerts/ (channel team)."""

import json

import pytest
from rest_framework.test import APIClient

from unitrace.authenticity import codes
from unitrace.authenticity.diversion import check_diversion
from unitrace.authenticity.models import DiversionAlert, Verification
from unitrace.parties.regions import Region

pytestmark = pytest.mark.django_db
VERIFY = "/api/v1/verify/"
ALERTS = "/api/v1/diversion-alerts/"


@pytest.fixture
def public():
    return APIClient()


def test_verify_genuine_by_serial_and_code(public, distributor_unit):
    body = {
        "serial": distributor_unit.serial,
        "code": codes.verification_code(distributor_unit),
        "province": "浙江",
        "city": "杭州",
    }
    response = public.post(VERIFY, body, format="json")
    assert response.status_code == 200
    data = response.json()
    assert data["result"] == "genuine" and data["check_number"] == 1
    assert data["product"] == {"model": "AC-100", "name": "空调室内机"}
    assert Verification.objects.get().province == "浙江省"


def test_verify_by_token_with_get(public, distributor_unit):
    response = public.get(VERIFY, {"token": distributor_unit.public_token})
    assert response.json()["result"] == "genuine"
    assert response["Cache-Control"] == "no-store"


def test_verify_wrong_code_unknown_serial_and_serial_alone_are_one_answer(public, distributor_unit):
    answers = [
        public.post(VERIFY, {"serial": distributor_unit.serial, "code": "ABCDEFGH"}).json(),
        public.post(VERIFY, {"serial": "NOPE000001", "code": "ABCDEFGH"}).json(),
        public.post(VERIFY, {"serial": distributor_unit.serial}).json(),
        public.post(
            VERIFY, {"link": codes.signed_digital_link(distributor_unit)[:-1] + "Q"}
        ).json(),
    ]
    assert answers[0]["result"] == "unknown"
    assert all(a == answers[0] for a in answers)


def test_verify_answer_has_nothing_personal(public, customer_unit, customer):
    response = public.post(VERIFY, {"token": customer_unit.public_token})
    text = json.dumps(response.json(), ensure_ascii=False)
    for personal in (
        customer.name,
        customer.phone,
        customer.code,
        "holder",
        "distributor",
        "address",
        "phone",
    ):
        assert personal not in text


def test_verify_input_errors(public, db):
    assert public.post(VERIFY, {}).status_code == 400
    response = public.post(VERIFY, {"token": "abcdefgh12", "province": "Narnia"})
    assert response.status_code == 400 and response.json()["field"] == "province"


def test_the_eleventh_check_in_a_minute_gets_429(public, distributor_unit):
    body = {"token": distributor_unit.public_token}
    statuses = [public.post(VERIFY, body, REMOTE_ADDR="192.0.2.8").status_code for _ in range(11)]
    assert statuses == [200] * 10 + [429]
    limited = public.post(VERIFY, body, REMOTE_ADDR="192.0.2.8")
    assert limited.json()["code"] == "rate_limited"
    assert "Too many checks" in limited.json()["detail"]
    assert int(limited["Retry-After"]) >= 1
    assert limited.json()["meta"] == {"wait": int(limited["Retry-After"])}
    assert limited.json()["field"] is None and limited.json()["rows"] == []
    assert public.post(VERIFY, body, REMOTE_ADDR="192.0.2.9").status_code == 200


def test_verify_ignores_session_login_and_csrf(client, make_user, distributor_unit):
    client.force_login(make_user("sales"))
    client.handler.enforce_csrf_checks = True
    response = client.post(VERIFY, {"token": distributor_unit.public_token})
    assert response.status_code == 200


@pytest.fixture
def alerts(distributor_unit, make_unit, zhejiang_distributor):
    first = check_diversion(distributor_unit, Region("广东省", "深圳市"), "activation")
    second = check_diversion(
        make_unit("S-2", to=zhejiang_distributor), Region("江苏省", "南京市"), "verification"
    )
    return first, second


@pytest.mark.parametrize("url", [ALERTS, f"{ALERTS}stats/"])
def test_alert_endpoints_deny_by_default(api, alerts, url):
    assert api(None).get(url).status_code == 401
    assert api("warehouse").get(url).status_code == 403
    assert api("distributor").get(url).status_code == 403


@pytest.mark.parametrize("role", ["sales", "manager", "quality", "auditor"])
def test_alert_list_for_allowed_roles(api, alerts, role):
    response = api(role).get(ALERTS)
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2
    first = data["results"][-1]
    assert first["delivery"]["ref_id"] == "DN-ZJ-7"
    assert first["region"]["text"] == "广东省深圳市"
    assert first["distributor"]["code"] == "D-ZJ"


def test_alert_filters_and_detail(api, alerts):
    client = api("sales")
    assert client.get(ALERTS, {"source": "verification"}).json()["count"] == 1
    assert client.get(ALERTS, {"province": "广东"}).json()["count"] == 1
    assert client.get(f"{ALERTS}{alerts[0].pk}/").json()["status"] == "open"


def test_alert_stats_numbers(api, alerts):
    DiversionAlert.objects.filter(pk=alerts[1].pk).update(status="dismissed")
    data = api("manager").get(f"{ALERTS}stats/").json()
    assert (data["total"], data["open"], data["closed"], data["dismissed"]) == (2, 1, 1, 1)
    assert data["by_distributor"][0]["distributor"]["code"] == "D-ZJ"
    assert (data["by_distributor"][0]["open"], data["by_distributor"][0]["closed"]) == (1, 1)
    assert {(r["province"], r["total"]) for r in data["by_region"]} == {
        ("广东省", 1),
        ("江苏省", 1),
    }
    assert sum(m["total"] for m in data["by_month"]) == 2
    filtered = api("manager", "m2").get(f"{ALERTS}stats/", {"status": "open"}).json()
    assert filtered["total"] == 1


def test_acknowledge_and_dismiss(api, alerts):
    sales = api("sales")
    url = f"{ALERTS}{alerts[0].pk}/"
    assert api("quality").post(f"{url}acknowledge/", {}).status_code == 403
    response = sales.post(f"{url}acknowledge/", {"note": "checking"}, format="json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["note"]) == ("acknowledged", "checking")
    assert response.json()["handled_by"] == "sales-user"
    assert sales.post(f"{url}dismiss/", {}).json()["status"] == "dismissed"
    again = sales.post(f"{url}acknowledge/", {})
    assert again.status_code == 400


def test_query_ceiling_of_a_check(public, distributor_unit, django_assert_max_num_queries):
    plain = {"token": distributor_unit.public_token}
    # rate-limit counter (one upsert, shared by all processes), unit, insert, counts
    # (+ savepoint, release)
    with django_assert_max_num_queries(6):
        assert public.post(VERIFY, plain).json()["result"] == "genuine"
    outside = {**plain, "province": "广东省", "city": "深圳市"}
    public.post(VERIFY, outside)  # first sighting creates the alert
    with django_assert_max_num_queries(11):  # + regions, open alert, its update, savepoints
        assert public.post(VERIFY, outside).json()["result"] == "genuine"
