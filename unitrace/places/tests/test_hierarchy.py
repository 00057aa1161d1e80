"""A warehouse cannot become its own ancestor, through the model, the API or the admin."""

import pytest
from django.core.exceptions import ValidationError

from tests import factories as f
from unitrace.places.models import Warehouse

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain():
    wh1 = f.WarehouseFactory(code="WH1", name="一号仓")
    wh2 = f.WarehouseFactory(code="WH2", name="二号仓", parent=wh1, level="regional")
    wh3 = f.WarehouseFactory(code="WH3", name="三号仓", parent=wh2, level="service_centre")
    return wh1, wh2, wh3


def test_model_refuses_itself_and_descendants_as_parent(chain):
    wh1, wh2, wh3 = chain
    for parent in (wh1, wh2, wh3):
        wh1.parent = parent
        with pytest.raises(ValidationError) as refused:
            wh1.full_clean()
        assert "parent" in refused.value.message_dict
    wh1.parent = None
    wh1.full_clean()
    wh3.parent = wh1  # moving within the tree without a loop is fine
    wh3.full_clean()


def test_api_refuses_a_loop(chain, api):
    wh1, _wh2, wh3 = chain
    client = api("admin")
    response = client.patch(f"/api/v1/warehouses/{wh1.pk}/", {"parent": "WH3"}, format="json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["field"] == "parent" and "WH1 → WH3 → WH2 → WH1" in body["detail"]
    assert Warehouse.objects.get(pk=wh1.pk).parent_id is None
    self_parent = client.patch(f"/api/v1/warehouses/{wh3.pk}/", {"parent": "WH3"}, format="json")
    assert self_parent.status_code == 400


def test_admin_refuses_a_loop(chain, admin_browser):
    wh1, _wh2, wh3 = chain
    response = admin_browser.post(
        f"/admin/places/warehouse/{wh1.pk}/change/",
        {
            "code": "WH1",
            "name": "一号仓",
            "level": "hq",
            "parent": wh3.pk,
            "province": "",
            "city": "",
            "active": "on",
            "bins-TOTAL_FORMS": "0",
            "bins-INITIAL_FORMS": "0",
            "bins-MIN_NUM_FORMS": "0",
            "bins-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200  # the form again, with the error
    assert Warehouse.objects.get(pk=wh1.pk).parent_id is None
