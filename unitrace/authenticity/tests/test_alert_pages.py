"""The channel team's alert pages: who may open them, what they show, handling."""

import pytest
from django.urls import reverse

from tests import factories as f
from unitrace.authenticity.diversion import check_diversion
from unitrace.authenticity.models import DiversionAlert
from unitrace.authenticity.selectors import alerts_visible_to
from unitrace.parties.regions import Region

pytestmark = pytest.mark.django_db
SHENZHEN = Region("广东省", "深圳市")
PAGES = ["authenticity:alert_list", "authenticity:alert_stats"]


@pytest.fixture
def alert(distributor_unit):
    return check_diversion(distributor_unit, SHENZHEN, "activation", reference="unitevent:1")


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_is_sent_to_log_in(client, alert, page):
    response = client.get(reverse(page))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", [None, "warehouse", "agent", "distributor"])
def test_roles_without_the_permission_get_403(login, alert, page, role):
    assert login(role).get(reverse(page)).status_code == 403


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ["sales", "manager", "quality", "auditor"])
def test_channel_quality_and_management_roles_see_the_pages(login, alert, page, role):
    response = login(role).get(reverse(page))
    assert response.status_code == 200
    assert "深圳市" in response.content.decode()


def test_the_list_shows_the_alert_and_actions_for_sales(login, alert, distributor_unit):
    html = login("sales").get(reverse("authenticity:alert_list")).content.decode()
    assert distributor_unit.serial in html and "浙江经销商" in html and "DN-ZJ-7" in html
    assert reverse("authenticity:alert_status", args=[alert.pk]) in html
    assert reverse("serials:unit_detail", args=[distributor_unit.pk]) in html


def test_quality_sees_no_actions(login, alert):
    html = login("quality").get(reverse("authenticity:alert_list")).content.decode()
    assert reverse("authenticity:alert_status", args=[alert.pk]) not in html


def test_the_list_filters(login, alert, distributor_unit):
    client = login("sales")
    assert (
        distributor_unit.serial
        in client.get(
            reverse("authenticity:alert_list"), {"status": "open", "distributor": "D-ZJ"}
        ).content.decode()
    )
    assert (
        distributor_unit.serial
        not in client.get(
            reverse("authenticity:alert_list"), {"status": "dismissed"}
        ).content.decode()
    )


def test_sales_acknowledges_an_alert(login, alert):
    client = login("sales")
    url = reverse("authenticity:alert_status", args=[alert.pk])
    response = client.post(
        url, {"status": "acknowledged", "note": "called them", "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "authenticity:alert_list"
    )
    alert.refresh_from_db()
    assert (alert.status, alert.note, alert.handled_by) == (
        "acknowledged",
        "called them",
        client.user,
    )


def test_illegal_status_change_is_a_message_not_an_error(login, alert):
    client = login("sales")
    url = reverse("authenticity:alert_status", args=[alert.pk])
    client.post(url, {"status": "dismissed"})
    response = client.post(url, {"status": "acknowledged"}, follow=True)
    assert "cannot be marked acknowledged" in response.content.decode()
    alert.refresh_from_db()
    assert alert.status == "dismissed"


@pytest.mark.parametrize("role", ["quality", "warehouse"])
def test_status_change_needs_the_change_permission(login, alert, role):
    url = reverse("authenticity:alert_status", args=[alert.pk])
    assert login(role).post(url, {"status": "dismissed"}).status_code == 403
    alert.refresh_from_db()
    assert alert.status == "open"


def test_statistics_page_numbers(login, alert, make_unit, zhejiang_distributor):
    other = make_unit("S-2", to=zhejiang_distributor)
    check_diversion(other, Region("江苏省", "南京市"), "verification")
    html = login("manager").get(reverse("authenticity:alert_stats")).content.decode()
    assert 'data-figure="total">2<' in html and 'data-figure="open">2<' in html
    assert "广东省深圳市" in html and "江苏省南京市" in html


def test_a_distributor_login_sees_only_its_own_alerts(make_user, alert, make_unit):
    other = f.DistributorFactory(code="D-X", name="其他", regions=[("西藏自治区",)])
    check_diversion(make_unit("S-X", to=other), SHENZHEN, "service")
    user = f.UserFactory(role="quality", username="partner-login", party=other)
    visible = alerts_visible_to(user)
    assert [a.distributor.code for a in visible] == ["D-X"]
    assert DiversionAlert.objects.count() == 2
