"""What a partner login and a role without personal-data access may see and change.

* Datalists on the sales pages never list other parties for a partner login.
* The party edit form hides phone and address from a role without ``parties.view_pii``
  and keeps them unless a new value is typed.
* A phone number alone neither reveals nor reuses another customer; the region of a
  sale is the region given with it.
"""

from __future__ import annotations

import pytest

from tests import factories as f
from unitrace.parties.models import Party
from unitrace.parties.regions import Region
from unitrace.parties.services import find_or_create_customer
from unitrace.sales.models import SellThrough
from unitrace.sales.orders import create_order
from unitrace.sales.sellthrough import record_sell_through
from unitrace.serials.models import Unit, UnitEvent

pytestmark = pytest.mark.django_db

# Names of other parties and places a partner login must never be offered.
# names anywhere on the page; the customer's code as an option value (a bare "C1" can
# occur by chance inside the page's random CSRF token)
OTHERS = ("张三", 'value="C1"', "华北经销商", "总仓", "京东旗舰店")


@pytest.fixture
def world(customer, distributor, other_distributor, warehouse, channel, sku):
    """A customer, two distributors, a warehouse and a channel exist."""


# --- 1. datalists --------------------------------------------------------------------


def test_record_sale_page_offers_a_distributor_only_itself(world, login, distributor):
    response = login("distributor", party=distributor).get("/sales/my/sell/")
    assert response.status_code == 200
    assert list(response.context["buyer_codes"]) == [("D1", "华南经销商")]
    assert list(response.context["distributor_codes"]) == [("D1", "华南经销商")]
    assert list(response.context["warehouse_codes"]) == []
    assert list(response.context["channel_codes"]) == []
    page = response.content.decode()
    for name in OTHERS:
        assert name not in page, name


@pytest.mark.parametrize("url", ["/sales/orders/new/", "/sales/returns/new/", "order"])
def test_other_datalist_pages_offer_a_partner_login_only_itself(
    world, login, distributor, sku, url
):
    if url == "order":  # the order page's delivery form, on the partner's own order
        url = f"/sales/orders/{create_order(distributor, [(sku, 1)]).pk}/"
    response = login("sales", "dealer", party=distributor).get(url)
    assert response.status_code == 200
    assert list(response.context["buyer_codes"]) == [("D1", "华南经销商")]
    assert list(response.context["warehouse_codes"]) == []
    page = response.content.decode()
    for name in OTHERS:
        assert f'value="{name}"' not in page and f">{name}<" not in page, name


def test_staff_still_get_the_full_suggestions(world, login):
    response = login("sales").get("/sales/orders/new/")
    assert ("C1", "张三") in list(response.context["buyer_codes"])
    assert ("D2", "华北经销商") in list(response.context["distributor_codes"])
    assert ("HQ", "总仓") in list(response.context["warehouse_codes"])
    assert ("JD", "京东旗舰店") in list(response.context["channel_codes"])


# --- 2. party edit without view_pii ---------------------------------------------------


def test_edit_form_hides_phone_and_address_without_pii(customer, login):
    page = login("procurement").get(f"/sales/customers/{customer.pk}/").content.decode()
    assert "13812341234" not in page and "文三路 100 号" not in page
    assert 'placeholder="138****1234"' in page and 'placeholder="文三****"' in page
    assert "张三" in page  # the other fields are filled as usual
    full = login("sales", "s2").get(f"/sales/customers/{customer.pk}/").content.decode()
    assert "13812341234" in full and "文三路 100 号" in full


@pytest.mark.parametrize(
    "sent",
    [
        {"phone": "", "address": ""},  # left empty
        {"phone": "138****1234", "address": "文三****"},  # the masked values sent back
    ],
)
def test_edit_without_pii_keeps_phone_and_address(customer, login, sent):
    response = login("procurement").post(
        f"/sales/customers/{customer.pk}/",
        {"name": "张三丰", "province": "浙江省", "city": "杭州市", "active": "on", **sent},
    )
    assert response.status_code == 302, response.context["form"].errors
    customer.refresh_from_db()
    assert customer.name == "张三丰"
    assert (customer.phone, customer.address) == ("13812341234", "文三路 100 号")


def test_edit_without_pii_replaces_a_newly_typed_value(customer, login):
    client = login("procurement")
    url = f"/sales/customers/{customer.pk}/"
    ok = client.post(url, {"name": "张三", "phone": "13900002222", "active": "on"})
    assert ok.status_code == 302
    customer.refresh_from_db()
    assert (customer.phone, customer.address) == ("13900002222", "文三路 100 号")
    edited = client.post(url, {"name": "张三", "address": "文三****路 5 号", "active": "on"})
    assert edited.status_code == 200 and "masked value cannot be edited" in edited.content.decode()
    customer.refresh_from_db()
    assert customer.address == "文三路 100 号"


def test_api_edit_without_pii_keeps_the_masked_values(customer, api):
    client = api("procurement")
    body = client.get(f"/api/v1/customers/{customer.pk}/").json()
    assert body["phone"] == "138****1234"
    response = client.patch(
        f"/api/v1/customers/{customer.pk}/",
        {"name": "张三丰", "phone": body["phone"], "address": body["address"]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    customer.refresh_from_db()
    assert (customer.name, customer.phone, customer.address) == (
        "张三丰",
        "13812341234",
        "文三路 100 号",
    )


# --- 3. matching by phone, the sale's region, what a distributor sees ------------------


@pytest.fixture
def held(sku, distributor, other_distributor, stock, warehouse):
    """D1 (authorized in 浙江 only) holds H1 and H2."""
    f.authorize(distributor, ("浙江省",))
    stock(["H1", "H2"])
    f.delivery(f.SalesOrderFactory(buyer=distributor, lines=[(sku, 2)]), warehouse, "H1 H2")
    return distributor


SHENZHEN = {"province": "广东省", "city": "深圳市", "district": "南山区"}


def test_same_phone_other_name_is_a_new_customer_and_reveals_nothing(
    held, customer, distributor_api
):
    client = distributor_api(held)
    sale = {"customer_name": "李四", "customer_phone": "138 1234 1234", **SHENZHEN}
    response = client.post("/api/v1/sell-through/", {"serial": "H1", **sale}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["customer"]["name"] == "李*"  # a person's name: masked without view_pii
    text = response.content.decode()
    for secret in ("张三", "杭州", "西湖区", "文三路", "13812341234"):
        assert secret not in text, secret
    holder = Unit.objects.get(serial="H1").holder
    assert holder.pk != customer.pk and holder.name == "李四"
    assert Party.objects.filter(kind="customer", phone="13812341234").count() == 2
    customer.refresh_from_db()
    assert (customer.name, customer.province) == ("张三", "浙江省")


def test_reused_customer_is_checked_in_the_region_of_this_sale(held, customer, distributor_api):
    client = distributor_api(held)
    sale = {"customer_name": "张 三", "customer_phone": "13812341234", **SHENZHEN}
    response = client.post("/api/v1/sell-through/", {"serial": "H1", **sale}, format="json")
    assert response.status_code == 201
    assert response.json()["in_region"] is False
    assert response.json()["region"] == "广东省深圳市南山区"
    st = SellThrough.objects.get()
    assert st.customer_id == customer.pk  # same name and phone: the same person
    assert (st.region, st.in_region) == ("广东省深圳市南山区", False)
    event = UnitEvent.objects.get(unit__serial="H1", type="sold_through")
    assert event.region == "广东省深圳市南山区" and event.details["in_region"] is False
    customer.refresh_from_db()
    assert (customer.province, customer.city) == ("浙江省", "杭州市")  # record untouched


def test_distributor_sees_the_customer_as_it_typed_it(held, customer, distributor_api, api):
    client = distributor_api(held)
    sale = {"customer_name": "张三", "customer_phone": "13812341234", "province": "浙江省"}
    assert client.post("/api/v1/sell-through/", {"serial": "H1", **sale}, format="json")
    Party.objects.filter(pk=customer.pk).update(name="张三丰", address="保密路 1 号")
    row = client.get("/api/v1/sell-through/").json()["results"][0]
    assert row["customer"]["name"] == "张*"  # what it typed, masked like the phone
    assert row["customer"]["phone"] == "138****1234"
    assert "张三丰" not in str(row) and "保密路" not in str(row) and "西湖区" not in str(row)
    staff = api("sales").get("/api/v1/sell-through/").json()["results"][0]
    assert staff["customer"]["name"] == "张三丰"  # staff see the record


def test_record_sale_page_and_my_sales_show_only_what_was_typed(held, customer, login):
    client = login("distributor", party=held)
    response = client.post(
        "/sales/my/sell/",
        {"serial": "H1", "customer_name": "李四", "customer_phone": "13812341234", **SHENZHEN},
        follow=True,
    )
    page = response.content.decode()
    assert "H1 sold to 李四." in page and "张三" not in page
    assert "Outside the authorized regions: 广东省深圳市南山区" in page
    sales = client.get("/sales/my/sales/").content.decode()
    assert "李*" in sales and "李四" not in sales and "138****1234" in sales
    assert "张三" not in sales and "13812341234" not in sales


def test_a_sale_recorded_without_the_typed_customer_shows_it_masked(held, customer, api):
    unit = Unit.objects.get(serial="H1")
    record_sell_through(held, unit, customer, region=Region("浙江省"))
    user = f.distributor_login(held, "dealer")
    from unitrace.sales.output import sell_through_dict

    shown = sell_through_dict(SellThrough.objects.get(), user)["customer"]
    assert (shown["name"], shown["phone"]) == ("张*", "138****1234")


def test_find_or_create_customer_matches_phone_and_name_only(customer):
    assert find_or_create_customer(" 张 三 ", "138 1234 1234").pk == customer.pk
    other = find_or_create_customer("李四", "13812341234", province="广东省")
    assert other.pk != customer.pk and other.province == "广东省"
    assert find_or_create_customer("李四", "13812341234").pk == other.pk
    assert find_or_create_customer("张三", "").pk not in (customer.pk, other.pk)
