"""省/市/区 of customers and distributors are names of GB/T 2260 divisions: the API,
the pages and every service that creates a customer refuse unknown ones."""

import pytest

from unitrace.demo import seed
from unitrace.geo.validate import region_errors
from unitrace.parties.models import Party
from unitrace.parties.services import find_or_create_customer

PERSON = {"name": "王五", "is_company": False, "phone": "13812345678"}


@pytest.mark.parametrize(
    "region",
    [
        ("浙江省", "杭州市", "西湖区"),
        ("浙江", "杭州", ""),  # short names
        ("上海市", "上海市", "浦东新区"),
        ("上海市", "浦东新区", ""),  # a municipality's district written as its city
        ("北京市", "", "朝阳区"),
        ("重庆市", "重庆市", "巫山县"),
        ("湖北省", "仙桃市", ""),  # governed by the province directly
        ("广东省", "东莞市", "长安镇"),  # a city without districts: its towns
        ("内蒙古自治区", "锡林郭勒盟", "二连浩特市"),
        ("新疆维吾尔自治区", "伊犁哈萨克自治州", "伊宁市"),
        ("香港特别行政区", "", ""),
        ("", "", ""),
    ],
)
def test_known_divisions_pass(region):
    assert region_errors(*region) == {}


@pytest.mark.parametrize(
    ("region", "field", "text"),
    [
        (("火星省", "", ""), "province", "'火星省' is not a province of China."),
        (("浙江省", "广州市", ""), "city", "'广州市' is not a city of 浙江省."),
        (("浙江省", "杭州市", "南山区"), "district", "'南山区' is not a district of 杭州市."),
        (("上海市", "月球区", ""), "city", "'月球区' is not a district of 上海市."),
        (("", "杭州市", ""), "province", "Choose the province of this city."),
        (("浙江省", "", "西湖区"), "city", "Enter the city of this district."),
    ],
)
def test_unknown_names_are_refused_with_the_field(region, field, text):
    assert region_errors(*region) == {field: text}


def test_demo_places_are_all_divisions():
    for area in seed.AREAS:
        for place in area.places:
            assert region_errors(*place) == {}, place


@pytest.mark.django_db
def test_api_refuses_an_unknown_province(api):
    client = api("sales")
    response = client.post(
        "/api/v1/customers/", {**PERSON, "province": "火星省", "city": "火星市"}, format="json"
    )
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["field"] == "province" and "火星省" in body["detail"]
    assert not Party.objects.filter(name="王五").exists()
    ok = client.post(
        "/api/v1/customers/",
        {**PERSON, "province": "江苏省", "city": "苏州市", "district": "姑苏区"},
        format="json",
    )
    assert ok.status_code == 201
    edit = client.patch(f"/api/v1/customers/{ok.json()['id']}/", {"city": "杭州市"}, format="json")
    assert edit.status_code == 400 and edit.json()["field"] == "city"


@pytest.mark.django_db
def test_page_refuses_an_unknown_city(customer, login):
    response = login("sales").post(
        f"/sales/customers/{customer.pk}/",
        {"name": customer.name, "province": "浙江省", "city": "哥谭市", "active": "on"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["city"] == ["'哥谭市' is not a city of 浙江省."]


@pytest.mark.django_db
def test_a_sale_naming_a_new_customer_checks_the_region():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        find_or_create_customer("赵六", "13900001111", province="火星省")
    assert "province" in refused.value.message_dict


def test_public_forms_check_the_city_too():
    from django.core.exceptions import ValidationError

    from unitrace.authenticity.inputs import clean_region

    with pytest.raises(ValidationError) as refused:
        clean_region("浙江省", "哥谭市", required=True)
    assert refused.value.message_dict == {"city": ["'哥谭市' is not a city of 浙江省."]}
    assert clean_region("浙江", "杭州市", "西湖区", required=True).province == "浙江省"
