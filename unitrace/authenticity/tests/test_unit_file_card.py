"""The unit's file shows its authenticity checks and diversion alerts, by permission."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from unitrace.authenticity.diversion import check_diversion
from unitrace.authenticity.verification import Credentials, verify
from unitrace.parties.regions import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def checked(distributor_unit):
    """Two customer checks three and one days ago (one flagged), and an alert."""
    now = timezone.now()
    token = Credentials(token=distributor_unit.public_token)
    first = verify(token, when=now - timedelta(days=3))
    last = verify(token, region=Region("广东省", "深圳市"), when=now - timedelta(days=1))
    last.record.outcome = "suspect"
    last.record.save()
    alert = check_diversion(distributor_unit, Region("江苏省", "南京市"), "service", "WO-9")
    return first.record, last.record, alert


def file_page(client, make_user, role, unit, username=None):
    user = make_user(role, username)
    client.force_login(user)
    return client.get(reverse("serials:unit_detail", args=[unit.pk])).content.decode()


def test_the_channel_team_sees_checks_and_alerts(client, make_user, distributor_unit, checked):
    first, last, alert = checked
    html = file_page(client, make_user, "sales", distributor_unit)
    assert 'id="unit-authenticity"' in html
    assert re.search(r'id="checks-total">2<', html)
    assert re.search(r'id="checks-suspect">1<', html)
    local = timezone.localtime
    assert f'id="checks-first">{local(first.checked_at):%m/%d/%Y %H:%M}<' in html  # English
    assert f'id="checks-last">{local(last.checked_at):%m/%d/%Y %H:%M}<' in html
    block = html.split(f'id="unit-alert-{alert.pk}"')[1].split("</li>")[0]
    assert "江苏省南京市" in block and "浙江经销商" in block
    assert "广东省深圳市" in html  # the verification's sighting raised its own alert
    assert f"?serial={distributor_unit.serial}" in html


@pytest.mark.parametrize("role", ["manager", "quality", "auditor"])
def test_quality_management_and_audit_see_both(client, make_user, distributor_unit, checked, role):
    html = file_page(client, make_user, role, distributor_unit)
    assert 'id="unit-checks"' in html and 'id="unit-alerts"' in html


def test_customer_service_sees_checks_but_not_alerts(client, make_user, distributor_unit, checked):
    html = file_page(client, make_user, "agent", distributor_unit)
    assert 'id="unit-checks"' in html
    assert 'id="unit-alerts"' not in html and "No diversion alerts" not in html


def test_roles_without_the_permissions_see_no_section(client, make_user, distributor_unit, checked):
    html = file_page(client, make_user, "warehouse", distributor_unit)
    assert "unit-authenticity" not in html and "江苏省南京市" not in html


def test_a_distributor_login_sees_neither(login, distributor_unit, zhejiang_distributor, checked):
    client = login("distributor", "zj-login", party=zhejiang_distributor)
    response = client.get(reverse("serials:unit_detail", args=[distributor_unit.pk]))
    assert response.status_code == 200
    assert "unit-authenticity" not in response.content.decode()


def test_a_unit_never_checked_says_so(client, make_user, stock_unit):
    html = file_page(client, make_user, "sales", stock_unit)
    assert re.search(r'id="checks-total">0<', html)
    assert "No diversion alerts for this unit." in html
