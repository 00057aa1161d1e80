"""Parties store the division code and point of their address; unresolvable addresses
are saved as typed and flagged; existing parties are resolved in bulk."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from unitrace.parties.addresses import backfill_locations
from unitrace.parties.models import Party
from unitrace.parties.services import save_any_party, save_party

pytestmark = pytest.mark.django_db
PERSON = {"name": "王五", "is_company": False, "phone": "13812345678"}


def test_a_resolvable_address_gets_its_code_and_centroid():
    party = save_party(
        Party.Kind.CUSTOMER,
        {
            **PERSON,
            "province": "浙江省",
            "city": "杭州市",
            "district": "西湖区",
            "address": "文三路1号",
        },
    )
    party.refresh_from_db()
    assert party.adcode == "330106" and party.address_resolved and party.address_issue == ""
    assert party.latitude == Decimal("30.259463") and not party.location_exact
    assert Party.objects.filter(adcode__startswith="3301").get() == party


def test_a_free_text_address_fills_the_region():
    party = save_party(Party.Kind.CUSTOMER, {**PERSON, "address": "上海浦东新区世纪大道100号"})
    assert (party.province, party.city, party.district) == ("上海市", "上海市", "浦东新区")
    assert party.address == "上海浦东新区世纪大道100号"  # as typed
    assert party.adcode == "310115"


def test_an_unresolvable_address_is_saved_as_typed_and_flagged():
    party = save_party(Party.Kind.CUSTOMER, {**PERSON, "address": "朝阳区建国路"})
    party.refresh_from_db()
    assert party.address == "朝阳区建国路" and party.province == ""
    assert not party.address_resolved and "朝阳区" in party.address_issue
    assert party.adcode == "" and party.latitude is None


def test_no_address_is_not_flagged():
    party = save_any_party(Party.Kind.SUPPLIER, {"name": "某供应商"})
    assert not party.address_resolved and party.address_issue == ""


def test_gps_overrides_and_survives_an_address_edit():
    party = save_party(
        Party.Kind.CUSTOMER,
        {**PERSON, "province": "浙江", "city": "杭州", "latitude": 30.28, "longitude": "120.12"},
    )
    assert party.location_exact and party.latitude == Decimal("30.280000")
    party = save_party(Party.Kind.CUSTOMER, {"district": "西湖区"}, party)
    assert party.adcode == "330106" and party.latitude == Decimal("30.280000")
    party = save_party(Party.Kind.CUSTOMER, {"latitude": None, "longitude": None}, party)
    assert not party.location_exact and party.latitude == Decimal("30.259463")


@pytest.mark.parametrize(
    ("lat", "lng", "field"), [(200, 120, "latitude"), (30, None, "longitude"), (0, 0, "latitude")]
)
def test_bad_gps_is_refused_per_field(lat, lng, field):
    with pytest.raises(ValidationError) as refused:
        save_party(Party.Kind.CUSTOMER, {**PERSON, "latitude": lat, "longitude": lng})
    assert field in refused.value.message_dict
    assert not Party.objects.exists()


def test_the_migration_function_resolves_existing_parties():
    rows = [
        Party(kind="customer", code=f"C{i}", name=f"客户{i}", province=p, city=c, address=a)
        for i, (p, c, a) in enumerate(
            [
                ("浙江省", "杭州市", ""),
                ("", "", "北京市朝阳区建国路"),
                ("", "", "朝阳区"),
                ("", "", ""),
                ("广东省", "东莞市", "长安镇"),
            ]
        )
    ]
    Party.objects.bulk_create(rows)
    assert backfill_locations(Party, batch_size=2) == 5
    found = {p.code: p for p in Party.objects.all()}
    assert found["C0"].adcode == "330100" and found["C0"].address_resolved
    assert found["C1"].adcode == "110105" and found["C1"].province == ""  # names untouched
    assert not found["C2"].address_resolved and found["C2"].address_issue
    assert found["C3"].address_issue == ""
    assert found["C4"].adcode == "441900" and found["C4"].latitude is not None


def test_the_api_shows_the_location_and_the_flag(api):
    client = api("sales")
    created = client.post(
        "/api/v1/customers/", {**PERSON, "address": "朝阳区建国路"}, format="json"
    ).json()
    assert created["address_resolved"] is False and "朝阳区" in created["address_issue"]
    fixed = client.patch(
        f"/api/v1/customers/{created['id']}/",
        {"province": "北京市", "latitude": "39.9088", "longitude": "116.4607"},
        format="json",
    )
    assert fixed.status_code == 200, fixed.content
    body = fixed.json()
    assert body["adcode"] == "110105" and body["address_resolved"] is True
    assert body["location_exact"] and body["latitude"] == 39.9088
    bad = client.patch(
        f"/api/v1/customers/{created['id']}/", {"latitude": 95, "longitude": 116}, format="json"
    )
    assert bad.status_code == 400 and bad.json()["field"] == "latitude"


def test_exact_coordinates_are_personal_data(api):
    party = save_party(
        Party.Kind.CUSTOMER,
        {**PERSON, "province": "浙江", "city": "杭州", "latitude": 30.28, "longitude": 120.12},
    )
    hidden = api("warehouse").get(f"/api/v1/customers/{party.pk}/")  # no personal data
    assert hidden.status_code == 200
    assert hidden.json()["location_exact"] is False
    assert hidden.json()["latitude"] == 30.24692  # 杭州市's centroid, not the GPS point
    seen = api("sales").get(f"/api/v1/customers/{party.pk}/").json()
    assert seen["location_exact"] is True and seen["latitude"] == 30.28


def test_the_page_shows_the_flag(login):
    party = save_party(Party.Kind.CUSTOMER, {**PERSON, "address": "朝阳区建国路"})
    page = login("sales").get(f"/sales/customers/{party.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "吉林省长春市朝阳区" in html and 'class="alert alert-warn"' in html
