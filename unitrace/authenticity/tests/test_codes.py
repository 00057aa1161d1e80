"""Label secrets and input checks: deterministic, keyed, and never the raw data."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ValidationError

from unitrace.authenticity import codes
from unitrace.authenticity.inputs import clean_region, normalize_mobile, region_key
from unitrace.codes.gs1 import parse_scan
from unitrace.codes.rendering import RANDOM_ALPHABET

pytestmark = pytest.mark.django_db


def test_verification_code_is_8_symbols_stable_and_different_per_unit(
    distributor_unit, customer_unit
):
    code = codes.verification_code(distributor_unit)
    assert re.fullmatch(f"[{RANDOM_ALPHABET}]{{8}}", code)
    assert codes.verification_code(distributor_unit) == code
    assert codes.verification_code(customer_unit) != code
    assert codes.code_for(distributor_unit.sku_id + 1, distributor_unit.serial) != code


def test_codes_depend_on_the_secret(distributor_unit, settings):
    settings.VERIFICATION_SECRET = ""
    from_secret_key = codes.verification_code(distributor_unit)
    settings.VERIFICATION_SECRET = "another-secret"
    assert codes.verification_code(distributor_unit) != from_secret_key
    settings.SECRET_KEY = "changed-secret-key"
    assert codes.verification_code(distributor_unit) != from_secret_key


def test_printed_code_is_normalised_back():
    assert codes.format_code("K7P3XQ9M") == "K7P3-XQ9M"
    assert codes.normalize_code(" k7p3-xq9m ") == "K7P3XQ9M"


def test_signed_digital_link_still_reads_as_gs1(distributor_unit, settings):
    settings.DIGITAL_LINK_BASE_URL = "https://id.example.cn"
    link = codes.signed_digital_link(distributor_unit)
    parsed = parse_scan(link)
    assert parsed.errors == ()
    assert (parsed.gtin, parsed.serial) == ("06901234567892", distributor_unit.serial)
    signature = parse_qs(urlsplit(link).query)["s"][0]
    assert signature == codes.link_signature(distributor_unit)
    assert len(signature) == codes.SIGNATURE_LENGTH


def test_signed_link_without_gtin_is_the_public_page(distributor_unit, settings):
    settings.PUBLIC_BASE_URL = "https://www.example.cn"
    distributor_unit.sku.gtin = None
    link = codes.signed_digital_link(distributor_unit)
    assert link == f"https://www.example.cn/u/{distributor_unit.public_token}"


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("203.0.113.7", "203.0.113.250", True),
        ("203.0.113.7", "203.0.114.7", False),
        ("2001:db8:aa:1::1", "2001:db8:aa:ffff::2", True),
        ("2001:db8:aa::1", "2001:db8:ab::1", False),
        ("::ffff:203.0.113.7", "203.0.113.9", True),
    ],
)
def test_networks_are_24_and_48_bit_prefixes(first, second, same):
    assert (codes.network_hash(first) == codes.network_hash(second)) is same
    assert "203.0.113" not in codes.network_hash(first)


def test_no_address_no_network_hash():
    assert codes.network_hash(None) == codes.network_hash("not an ip") == ""


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "13812345678"),
        ("+86 138-1234-5678", "13812345678"),
        ("0086 13812345678", "13812345678"),
        ("(138) 1234 5678", "13812345678"),
    ],
)
def test_mobile_numbers_normalised(raw, expected):
    assert normalize_mobile(raw) == expected


@pytest.mark.parametrize("raw", ["", "1381234567", "12812345678", "0571-88886666", "138123456789"])
def test_bad_mobile_numbers_refused_with_an_example(raw):
    with pytest.raises(ValidationError) as caught:
        normalize_mobile(raw)
    assert "11-digit Chinese mobile number" in caught.value.messages[0]


def test_region_province_from_the_list_short_or_long():
    region = clean_region("浙江", "杭州市", "西湖区", required=True)
    assert (region.province, region.city, region.district) == ("浙江省", "杭州市", "西湖区")
    assert region_key(region) == region_key(clean_region("浙江省", "杭州", required=True))


def test_region_errors_per_field():
    with pytest.raises(ValidationError) as caught:
        clean_region("火星", "", required=True)
    assert set(caught.value.message_dict) == {"province", "city"}


def test_optional_region_may_be_empty_but_not_wrong():
    assert clean_region("", "", "", required=False).province == ""
    assert clean_region("广东省", "", required=False).province == "广东省"
    with pytest.raises(ValidationError):
        clean_region("Atlantis", "", required=False)
