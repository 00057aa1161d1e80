"""Anti-diversion on service: a serviced / service_in / repaired event with a region
outside the distributor's regions raises a SERVICE alert, through an explicit call."""

import pytest

from unitrace.authenticity.diversion import check_service_event, record_event
from unitrace.authenticity.inputs import parse_region
from unitrace.authenticity.models import DiversionAlert
from unitrace.parties.regions import Region
from unitrace.serials import ledger
from unitrace.serials.ledger import EventData, LedgerError

pytestmark = pytest.mark.django_db


def post_event(api, unit, **body):
    return api("engineer").post(f"/api/v1/units/{unit.pk}/events/", body, format="json")


@pytest.mark.parametrize("kind", ["serviced", "service_in", "repaired"])
def test_a_service_event_outside_the_region_raises_a_service_alert(
    api, distributor_unit, zhejiang_distributor, kind
):
    response = post_event(api, distributor_unit, type=kind, region="广东省深圳市南山区")
    assert response.status_code == 201, response.content
    alert = DiversionAlert.objects.get()
    event = distributor_unit.events.get(type=kind)
    assert (alert.source, alert.status, alert.distributor_id) == (
        "service",
        "open",
        zhejiang_distributor.pk,
    )
    assert (alert.province, alert.city, alert.district) == ("广东省", "深圳市", "南山区")
    assert alert.source_ref == f"unitevent:{event.pk}"
    assert alert.delivery_ref == "DN-ZJ-7"
    assert alert.detected_at == event.occurred_at


@pytest.mark.parametrize("region", ["浙江省杭州市", "浙江/温州", "上海市 浦东新区", ""])
def test_no_alert_inside_the_regions_or_without_one(api, distributor_unit, region):
    assert post_event(api, distributor_unit, type="serviced", region=region).status_code == 201
    assert not DiversionAlert.objects.exists()


def test_other_events_with_a_region_are_not_service_sightings(api, distributor_unit):
    response = post_event(api, distributor_unit, type="installed", region="广东省深圳市")
    assert response.status_code == 201
    assert not DiversionAlert.objects.exists()


def test_a_unit_without_distributor_raises_nothing(api, customer_unit):
    response = post_event(api, customer_unit, type="service_in", region="广东省深圳市")
    assert response.status_code == 201
    assert not DiversionAlert.objects.exists()


def test_repeated_service_in_the_same_place_counts_occurrences(distributor_unit):
    record_event(distributor_unit, EventData("service_in", region="广东省/深圳市"))
    record_event(distributor_unit, EventData("repaired", region="广东 深圳"))
    alert = DiversionAlert.objects.get()
    assert alert.occurrences == 2 and alert.region_key == "广东/深圳"


def test_a_refused_event_raises_no_alert(stock_unit, zhejiang_distributor):
    with pytest.raises(LedgerError):  # a unit in stock cannot be serviced
        record_event(stock_unit, EventData("serviced", region="广东省深圳市"))
    assert not DiversionAlert.objects.exists()


def test_the_check_is_explicit_not_a_signal(distributor_unit):
    """Recording through the ledger alone raises nothing: the service function calls it."""
    event = ledger.service(distributor_unit, region="广东省深圳市")
    assert not DiversionAlert.objects.exists()
    assert check_service_event(event).source == "service"


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("广东省深圳市南山区", Region("广东省", "深圳市", "南山区")),
        ("广东省/深圳市/南山区", Region("广东省", "深圳市", "南山区")),
        ("广东 深圳", Region("广东省", "深圳")),
        ("浙江杭州", Region("浙江省", "杭州")),
        ("浙江省杭州市西湖区", Region("浙江省", "杭州市", "西湖区")),
        ("上海市浦东新区", Region("上海市", "浦东新区")),
        ("上海市/上海市/黄浦区", Region("上海市", "黄浦区")),
        ("内蒙古呼和浩特市", Region("内蒙古自治区", "呼和浩特市")),
        ("湖北省恩施土家族苗族自治州恩施市", Region("湖北省", "恩施土家族苗族自治州", "恩施市")),
        ("江苏省", Region("江苏省")),
        ("", Region("")),
        ("Main Street 1", Region("")),
    ],
)
def test_regions_as_events_write_them(text, region):
    assert parse_region(text) == region
