"""Anti-diversion: alerts outside the distributor's regions, once, with statistics."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests import factories as f
from unitrace.authenticity import codes
from unitrace.authenticity.diversion import check_diversion, set_alert_status
from unitrace.authenticity.models import DiversionAlert
from unitrace.authenticity.selectors import alert_stats
from unitrace.authenticity.verification import Credentials, verify
from unitrace.core.models import ChangeLog
from unitrace.parties.regions import Region

pytestmark = pytest.mark.django_db
SHENZHEN = Region("广东省", "深圳市", "南山区")


def check(unit, region):
    credentials = Credentials(serial=unit.serial, code=codes.verification_code(unit))
    return verify(credentials, region=region)


def test_verification_outside_the_region_raises_an_alert(distributor_unit, zhejiang_distributor):
    answer = check(distributor_unit, SHENZHEN)
    alert = DiversionAlert.objects.get()
    assert (alert.unit_id, alert.distributor_id) == (distributor_unit.pk, zhejiang_distributor.pk)
    assert (alert.source, alert.status, alert.region) == (
        "verification",
        "open",
        "广东省深圳市南山区",
    )
    assert alert.source_ref == f"verification:{answer.record.pk}"
    assert alert.delivery_ref == "DN-ZJ-7"
    assert answer.public()["result"] == "genuine"  # the customer is not told


@pytest.mark.parametrize(
    "region",
    [Region("浙江省", "杭州市"), Region("浙江", "温州"), Region("上海市", "浦东新区", "陆家嘴")],
)
def test_no_alert_inside_the_authorized_regions(distributor_unit, region):
    check(distributor_unit, region)
    assert check_diversion(distributor_unit, region, "service") is None
    assert not DiversionAlert.objects.exists()


def test_a_city_authorization_does_not_cover_the_rest_of_the_province(distributor_unit):
    assert check_diversion(distributor_unit, Region("上海市", "黄浦区"), "service") is not None


def test_no_alert_without_region_or_distributor(distributor_unit, customer_unit):
    check(distributor_unit, Region(""))
    assert check_diversion(customer_unit, SHENZHEN, "service") is None
    assert not DiversionAlert.objects.exists()


def test_distributor_without_regions_on_record_is_never_diverted(make_unit):
    anywhere = f.DistributorFactory(code="D-ANY", name="全国")
    unit = make_unit("S-ANY", to=anywhere)
    assert check_diversion(unit, SHENZHEN, "activation") is None


def test_no_duplicate_open_alert_for_the_same_unit_region_and_source(distributor_unit):
    first = check_diversion(distributor_unit, SHENZHEN, "service", reference="WO-1")
    again = check_diversion(distributor_unit, Region("广东", "深圳"), "service", reference="WO-2")
    assert again.pk == first.pk
    assert again.occurrences == 2 and again.source_ref == "WO-1"
    other_source = check_diversion(distributor_unit, SHENZHEN, "verification")
    other_city = check_diversion(distributor_unit, Region("广东省", "广州市"), "service")
    assert len({first.pk, other_source.pk, other_city.pk}) == 3


def test_after_closing_a_new_sighting_opens_a_new_alert(distributor_unit):
    first = check_diversion(distributor_unit, SHENZHEN, "service")
    set_alert_status(first.pk, "dismissed", note="sold in Hangzhou, customer moved")
    second = check_diversion(distributor_unit, SHENZHEN, "service")
    assert second.pk != first.pk and second.status == "open"


def test_unknown_source_is_a_programming_error(distributor_unit):
    with pytest.raises(ValueError):
        check_diversion(distributor_unit, SHENZHEN, "telepathy")


def test_status_changes_are_checked_noted_and_logged(distributor_unit, make_user):
    user = make_user("sales")
    alert = check_diversion(distributor_unit, SHENZHEN, "service")
    set_alert_status(alert.pk, "acknowledged", user=user, note="called the distributor")
    alert = set_alert_status(alert.pk, "dismissed", user=user, note="stock transfer approved")
    assert alert.note == "called the distributor\nstock transfer approved"
    assert alert.handled_by == user and alert.handled_at is not None
    with pytest.raises(ValidationError):
        set_alert_status(alert.pk, "open")
    with pytest.raises(ValidationError):
        set_alert_status(alert.pk, "acknowledged")
    assert ChangeLog.objects.filter(object_type="authenticity.diversionalert").count() == 2


def at(year, month, day):
    return timezone.make_aware(datetime(year, month, day, 10, 0))


def test_statistics_by_distributor_region_and_month(make_unit, zhejiang_distributor):
    south = f.DistributorFactory(code="D-GD", name="广东经销商", regions=[("广东省",)])
    zj = [make_unit(f"ZJ-{i}", to=zhejiang_distributor) for i in range(3)]
    gd = make_unit("GD-1", to=south)
    check_diversion(zj[0], SHENZHEN, "activation", when=at(2026, 1, 5))
    check_diversion(zj[1], SHENZHEN, "verification", when=at(2026, 1, 31))
    closed = check_diversion(zj[2], Region("江苏省", "南京市"), "service", when=at(2026, 2, 1))
    check_diversion(gd, Region("江苏省", "南京市"), "activation", when=at(2026, 2, 28))
    set_alert_status(closed.pk, "acknowledged")

    stats = alert_stats(DiversionAlert.objects.all())

    assert (stats["total"], stats["open"], stats["closed"]) == (4, 3, 1)
    assert (stats["acknowledged"], stats["dismissed"]) == (1, 0)
    by_distributor = {
        r["distributor"]["code"]: (r["total"], r["open"], r["closed"])
        for r in stats["by_distributor"]
    }
    assert by_distributor == {"D-ZJ": (3, 2, 1), "D-GD": (1, 1, 0)}
    by_region = {
        (r["province"], r["city"]): (r["total"], r["open"], r["closed"]) for r in stats["by_region"]
    }
    assert by_region == {("广东省", "深圳市"): (2, 2, 0), ("江苏省", "南京市"): (2, 1, 1)}
    assert stats["by_month"] == [
        {"month": "2026-01", "total": 2, "open": 2, "closed": 0},
        {"month": "2026-02", "total": 2, "open": 1, "closed": 1},
    ]


def test_months_are_local_months(distributor_unit):
    # 2026-02-28 20:00 UTC is already 1 March in Shanghai
    utc_evening = datetime(2026, 2, 28, 20, 0, tzinfo=UTC)
    check_diversion(distributor_unit, SHENZHEN, "service", when=utc_evening)
    months = alert_stats(DiversionAlert.objects.all())["by_month"]
    assert [m["month"] for m in months] == ["2026-03"]


def test_detected_time_defaults_to_now(distributor_unit):
    alert = check_diversion(distributor_unit, SHENZHEN, "service")
    assert timezone.now() - alert.detected_at < timedelta(seconds=5)
