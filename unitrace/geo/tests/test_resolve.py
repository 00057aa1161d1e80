"""Free-text addresses resolve to the division they name, or say why not."""

import pytest

from unitrace.geo.divisions import CITY, DISTRICT, PROVINCE, get, index, prefix, search
from unitrace.geo.resolve import resolve_address

# (text, adcode, level, street)
RESOLVED = [
    ("浙江杭州西湖区文三路", "330106", DISTRICT, "文三路"),
    ("杭州市西湖区", "330106", DISTRICT, ""),
    ("北京市朝阳区建国路", "110105", DISTRICT, "建国路"),
    ("上海浦东新区", "310115", DISTRICT, ""),
    ("上海市浦东新区世纪大道100号", "310115", DISTRICT, "世纪大道100号"),
    ("新疆乌鲁木齐市天山区", "650102", DISTRICT, ""),
    ("恩施土家族苗族自治州恩施市", "422801", DISTRICT, ""),
    ("湖北恩施州恩施市", "422801", DISTRICT, ""),
    ("广东东莞市长安镇", "441900", CITY, "长安镇"),  # no districts: the town is street
    ("广东省中山市石岐街道", "442000", CITY, "石岐街道"),
    ("湖北仙桃市", "429004", CITY, ""),  # a county-level city governed by the province
    ("浙江义乌", "330782", DISTRICT, ""),  # a county-level city, short form
    ("义乌市稠城街道", "330782", DISTRICT, "稠城街道"),
    ("天津和平区", "120101", DISTRICT, ""),
    ("重庆市巫山县", "500237", DISTRICT, ""),
    ("内蒙古锡林郭勒盟二连浩特市", "152501", DISTRICT, ""),
    ("西藏拉萨城关区", "540102", DISTRICT, ""),
    ("宁夏银川兴庆区", "640104", DISTRICT, ""),
    ("广西南宁市青秀区民族大道", "450103", DISTRICT, "民族大道"),
    ("广东深圳南山区科技园", "440305", DISTRICT, "科技园"),
    ("江苏省苏州市姑苏区", "320508", DISTRICT, ""),
    ("四川成都武侯区", "510107", DISTRICT, ""),
    ("黑龙江哈尔滨南岗区", "230103", DISTRICT, ""),
    ("云南西双版纳傣族自治州景洪市", "532801", DISTRICT, ""),
    ("吉林延边州延吉市", "222401", DISTRICT, ""),
    ("海南三沙", "460300", CITY, ""),
    ("甘肃嘉峪关市", "620200", CITY, ""),
    ("香港", "810000", PROVINCE, ""),
    ("澳门特别行政区", "820000", PROVINCE, ""),
    ("吉林", "220000", PROVINCE, ""),  # province or its city: the province holds both
    ("吉林市", "220200", CITY, ""),
    ("浙江台州路桥区", "331004", DISTRICT, ""),  # 路 here begins a district
    ("辽宁大连中山区", "210202", DISTRICT, ""),  # 中山 inside 大连, not 中山市
    ("杭州市中山路", "330100", CITY, "中山路"),  # 中山 outside 杭州: the street
    ("上海长宁路", "310000", PROVINCE, "长宁路"),  # a short name before 路 is a street
    ("浙江省浙江省杭州市", "330100", CITY, ""),  # repetition skipped
    ("中国浙江省杭州市余杭区", "330110", DISTRICT, ""),
    ("北京朝阳", "110105", DISTRICT, ""),  # a district's short form after its province
    ("青海省西宁市城中区", "630103", DISTRICT, ""),
    ("陕西西安雁塔区", "610113", DISTRICT, ""),
]


@pytest.mark.parametrize(("text", "adcode", "level", "street"), RESOLVED)
def test_addresses_resolve(text, adcode, level, street):
    found = resolve_address(text)
    assert (found.adcode, found.level, found.street) == (adcode, level, street)
    assert found.resolved and not found.ambiguous and found.reason == ""
    division = get(adcode)
    assert (found.latitude, found.longitude) == (division.latitude, division.longitude)


def test_names_are_filled_in_full():
    found = resolve_address("杭州西湖区")
    assert (found.province, found.city, found.district) == ("浙江省", "杭州市", "西湖区")
    municipal = resolve_address("北京市朝阳区")
    assert (municipal.province, municipal.city, municipal.district) == (
        "北京市",
        "北京市",
        "朝阳区",
    )


def test_whitespace_and_full_width_are_ignored():
    found = resolve_address("　浙江省　杭州市 西湖区　文三路１００号 ")
    assert found.adcode == "330106" and found.street == "文三路100号"


@pytest.mark.parametrize("text", ["朝阳区", "西湖区", "鼓楼区"])
def test_a_name_of_several_districts_is_not_guessed(text):
    found = resolve_address(text)
    assert not found.resolved and found.ambiguous
    assert found.adcode == "" and found.latitude is None
    assert len(found.candidates) >= 2 and text in found.reason


def test_ambiguity_keeps_what_all_readings_share():
    found = resolve_address("江苏鼓楼区")  # 南京 and 徐州 both have one
    assert not found.resolved and found.ambiguous
    assert found.adcode == "320000" and found.level == PROVINCE
    assert set(found.candidates) == {"320106", "320302"}
    assert resolve_address("朝阳区", province="北京市").adcode == "110105"


@pytest.mark.parametrize("text", ["asdf", "中山路100号", "南京路", "12345", "火星基地", "!!!"])
def test_garbage_is_kept_as_typed(text):
    found = resolve_address(text)
    assert not found.resolved and not found.ambiguous
    assert found.adcode == "" and found.street == text and found.reason


def test_empty_and_huge_text():
    assert resolve_address("").reason == "No address given."
    huge = resolve_address("浙江杭州市" + "路" * 10_000)
    assert huge.adcode == "330100" and len(huge.street) == 10_000
    assert resolve_address("\x00浙江\x00").adcode == "330000"


def test_structured_fields_and_the_text_repeating_them():
    found = resolve_address(
        "浙江省杭州市西湖区文三路", province="浙江省", city="杭州市", district="西湖区"
    )
    assert found.adcode == "330106" and found.street == "文三路"
    town = resolve_address("长安镇振安路", province="广东", city="东莞市", district="长安镇")
    assert town.adcode == "441900" and town.street == "长安镇振安路"
    municipal = resolve_address("", province="北京市", city="市辖区", district="朝阳区")
    assert municipal.adcode == "110105"


def test_a_structured_field_outside_the_others_is_refused():
    found = resolve_address("", province="浙江省", city="广州市")
    assert not found.resolved and "广州市" in found.reason


def test_every_division_has_a_point_in_china():
    for division in index().by_code.values():
        assert 3 < division.latitude < 54 and 73 < division.longitude < 136, division
        assert division.centroid_of, division


def test_prefix_queries_and_search():
    assert prefix("330000") == "33" and prefix("330100") == "3301" and prefix("330106") == "330106"
    codes = [d.code for d in search("杭州")]
    assert codes[0] == "330100"
    assert all(d.code.startswith("33") for d in search("", parent="33", limit=200))
    # exact and prefix matches first (西湖区 of 杭州 and 南昌), then 东西湖区 (武汉)
    assert [d.code for d in search("西湖", level=DISTRICT)] == ["330106", "360103", "420112"]
