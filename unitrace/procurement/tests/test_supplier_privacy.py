"""A supplier's contact person is personal data: masked like a customer's name, on the
supplier page and in the API, for roles without ``parties.view_pii``."""

import pytest

from tests import factories as f
from unitrace.parties.models import Party

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact_supplier(db):
    return f.SupplierFactory(contact="王建国", phone="13955556666", address="宁波市北仑区1号")


def test_supplier_page_masks_the_contact_without_pii(contact_supplier, login):
    page = login("procurement").get("/procurement/suppliers/").content.decode()
    assert "华东电子" in page  # a company's name is not personal data
    assert "王**" in page
    assert "王建国" not in page and "13955556666" not in page


def test_supplier_page_shows_the_contact_with_pii(contact_supplier, login):
    page = login("manager").get("/procurement/suppliers/").content.decode()
    assert "王建国" in page


def test_supplier_api_masks_the_contact_without_pii(contact_supplier, api):
    body = api("procurement").get("/api/v1/suppliers/").json()
    row = next(r for r in body["results"] if r["code"] == "SUP1")
    assert row["name"] == "华东电子"
    assert row["contact"] == "王**"
    assert row["phone"] == "139****6666"
    detail = api("warehouse").get(f"/api/v1/suppliers/{contact_supplier.pk}/").json()
    assert detail["contact"] == "王**"
    assert api("manager").get(f"/api/v1/suppliers/{contact_supplier.pk}/").json()["contact"] == (
        "王建国"
    )


def test_sending_the_masked_contact_back_keeps_the_real_one(contact_supplier, api):
    client = api("procurement")
    url = f"/api/v1/suppliers/{contact_supplier.pk}/"
    shown = client.get(url).json()
    response = client.patch(
        url,
        {"contact": shown["contact"], "phone": shown["phone"], "name": "华东电子集团"},
        format="json",
    )
    assert response.status_code == 200, response.content
    saved = Party.objects.get(pk=contact_supplier.pk)
    assert (saved.name, saved.contact, saved.phone) == ("华东电子集团", "王建国", "13955556666")
    assert response.json()["contact"] == "王**"


def test_an_edited_mask_is_refused_and_a_new_name_replaces(contact_supplier, api):
    client = api("procurement")
    url = f"/api/v1/suppliers/{contact_supplier.pk}/"
    refused = client.patch(url, {"contact": "王**国"}, format="json")
    assert refused.status_code == 400, refused.content
    assert refused.json()["field"] == "contact"
    assert Party.objects.get(pk=contact_supplier.pk).contact == "王建国"
    assert client.patch(url, {"contact": "李四"}, format="json").status_code == 200
    assert Party.objects.get(pk=contact_supplier.pk).contact == "李四"
