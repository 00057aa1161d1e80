"""Warehouse and bin pages: list, filters, detail, create, edit, bins, scope, export."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from tests import factories as f
from unitrace.core.models import ChangeLog
from unitrace.places.models import Bin, Warehouse

pytestmark = pytest.mark.django_db
HUGE = "9" * 30


def _html(response, status: int = 200) -> str:
    assert response.status_code == status, response.content[:800]
    return response.content.decode()


@pytest.fixture
def sites(db):
    hq = Warehouse.objects.create(code="HQ", name="总部仓", level="hq", province="浙江省")
    east = Warehouse.objects.create(
        code="EAST", name="华东仓", level="regional", parent=hq, province="上海市", city="上海市"
    )
    Bin.objects.create(warehouse=east, code="A-01")
    return hq, east


def test_list_filters_and_search(login, sites):
    client = login("admin", "root")
    url = reverse("places:warehouse_list")
    html = _html(client.get(url))
    assert "总部仓" in html and "华东仓" in html
    assert reverse("core:export", args=["warehouses"]) in html
    html = _html(client.get(url, {"level": "regional"}))
    assert "华东仓" in html and "总部仓" not in html
    html = _html(client.get(url, {"q": "上海"}))
    assert "华东仓" in html and "总部仓" not in html
    for bad in ({"level": "moon"}, {"page": HUGE}, {"q": "x" * 5000}, {"active": "1"}):
        assert _html(client.get(url, bad))


def test_detail_shows_bins_and_children(login, sites):
    hq, east = sites
    client = login("warehouse", "clerk")
    html = _html(client.get(reverse("places:warehouse_detail", args=[east.pk])))
    assert "A-01" in html and 'id="bin-form"' not in html and 'id="edit-record"' not in html
    html = _html(client.get(reverse("places:warehouse_detail", args=[hq.pk])))
    assert "EAST" in html  # the warehouse under it
    assert client.get(reverse("places:warehouse_detail", args=[int(HUGE)])).status_code == 404


def test_create_edit_and_loops_are_refused(login, sites):
    hq, east = sites
    client = login("admin", "root")
    response = client.post(
        reverse("places:warehouse_create"),
        {"code": "VAN-1", "name": "工程师车", "level": "van", "parent": east.pk, "active": "on"},
    )
    van = Warehouse.objects.get(code="VAN-1")
    assert response.status_code == 302 and van.parent == east
    assert ChangeLog.objects.filter(object_type="places.warehouse", action="create").exists()
    looped = {"code": "HQ", "name": "总部仓", "level": "hq", "parent": van.pk, "active": "on"}
    html = _html(client.post(reverse("places:warehouse_edit", args=[hq.pk]), looped), 400)
    assert "loop" in html or "循环" in html
    hq.refresh_from_db()
    assert hq.parent is None
    taken = {"code": "EAST", "name": "x", "level": "hq"}
    _html(client.post(reverse("places:warehouse_create"), taken), 400)


def test_adding_a_bin(login, sites):
    _hq, east = sites
    client = login("admin", "root")
    url = reverse("places:bin_add", args=[east.pk])
    assert client.post(url, {"code": "Ａ－０２"}).status_code == 302
    assert set(east.bins.values_list("code", flat=True)) == {"A-01", "Ａ－０２"}
    html = _html(client.post(url, {"code": "A-01"}), 400)  # already there
    assert "already exists" in html and east.bins.count() == 2
    assert client.get(url).status_code == 405
    clerk = login("warehouse", "clerk")
    assert clerk.post(url, {"code": "Z"}).status_code == 403


def test_partner_logins_see_no_warehouses(client, sites):
    partner = f.DistributorFactory(code="D-1", name="经销商")
    user = f.UserFactory(role="warehouse", username="scoped", party=partner)
    client.force_login(user)
    html = _html(client.get(reverse("places:warehouse_list")))
    assert "总部仓" not in html
    assert client.get(reverse("places:warehouse_detail", args=[sites[0].pk])).status_code == 404


def test_export(login, sites):
    client = login("warehouse", "clerk")
    response = client.get(reverse("core:export", args=["warehouses"]), {"level": "regional"})
    assert response.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    assert len(rows) == 2 and rows[1][0] == "EAST" and rows[1][6] == 1
