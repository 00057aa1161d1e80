"""What the public types, checked: 省/市/区 regions (mobile numbers: ``parties.phones``).

Shared by the pages, the API and the services so every path gives the same message.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from unitrace.geo.validate import region_errors
from unitrace.parties.phones import normalize_mobile as normalize_mobile  # re-exported
from unitrace.parties.regions import Region, short_name

# The 34 provincial-level divisions; cities and districts are free text.
PROVINCES: tuple[str, ...] = (
    "北京市", "天津市", "上海市", "重庆市",
    "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省", "江苏省", "浙江省", "安徽省",
    "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "海南省",
    "四川省", "贵州省", "云南省", "陕西省", "甘肃省", "青海省", "台湾省",
    "内蒙古自治区", "广西壮族自治区", "西藏自治区", "宁夏回族自治区", "新疆维吾尔自治区",
    "香港特别行政区", "澳门特别行政区",
)  # fmt: skip
_BY_SHORT_NAME = {short_name(p): p for p in PROVINCES}


def canonical_province(name: str) -> str:
    """ "浙江" → "浙江省"; "" when it is not a province we know."""
    return _BY_SHORT_NAME.get(short_name(name or ""), "")


def clean_region(province: str, city: str, district: str = "", *, required: bool) -> Region:
    """A region with a known province (and a city when required); errors per field.

    With ``required=False`` an entirely empty region is allowed (Region("")).
    """
    province, city, district = (province or "").strip(), (city or "").strip(), (district or "")
    district = district.strip()
    errors: dict[str, str] = {}
    if not (province or city or district) and not required:
        return Region("")
    known = canonical_province(province)
    if not known:
        errors["province"] = (
            _("Choose a province from the list.") if province else _("Choose a province.")
        )
    if not city and required:
        errors["city"] = _("Enter the city.")
    elif len(city) > 30:
        errors["city"] = _("At most 30 characters.")
    if len(district) > 30:
        errors["district"] = _("At most 30 characters.")
    if not errors:  # the names of the national division codes (GB/T 2260)
        errors = region_errors(known, city, district)
    if errors:
        raise ValidationError(errors)
    return Region(known, city, district)


_REGION_SEPARATORS = re.compile(r"[\s/,，、|;；]+")
_MUNICIPALITIES = frozenset({"北京市", "天津市", "上海市", "重庆市"})
# where a prefecture-level name ends; for the municipalities, their districts and counties
_CITY_ENDINGS = ("地区", "市", "州", "盟")
_MUNICIPAL_ENDINGS = ("区", "县")


def _split_city(rest: str, province: str) -> tuple[str, str]:
    """ "深圳市南山区" → ("深圳市", "南山区"); in 上海市, "浦东新区" is the city level."""
    endings = _MUNICIPAL_ENDINGS if province in _MUNICIPALITIES else _CITY_ENDINGS
    if province in _MUNICIPALITIES and rest.startswith(province):
        rest = rest[len(province) :]
    ends = [rest.find(e) + len(e) for e in endings if rest.find(e) > 0]
    if not ends:
        return rest, ""
    cut = min(ends)
    if rest[cut : cut + 1] == "市":  # 杭州市, 广州市: the 州 is part of the name
        cut += 1
    return rest[:cut], rest[cut:]


def parse_region(text: str) -> Region:
    """A region as other systems write it in an event: "广东省深圳市南山区",
    "广东省/深圳市/南山区", "广东 深圳"… ``Region("")`` when no known province leads it."""
    parts = [p for p in _REGION_SEPARATORS.split((text or "").strip()) if p]
    if not parts:
        return Region("")
    province = canonical_province(parts[0])
    if province and len(parts) > 1:
        city, district = parts[1], "".join(parts[2:])
    else:
        joined = "".join(parts)
        prefixes = sorted({*PROVINCES, *_BY_SHORT_NAME}, key=len, reverse=True)
        lead = next((p for p in prefixes if joined.startswith(p)), "")
        province = canonical_province(lead)
        if not province:
            return Region("")
        city, district = _split_city(joined[len(lead) :], province)
    if province in _MUNICIPALITIES and short_name(city) == short_name(province):
        city, district = _split_city(district, province)
    return Region(province, city[:30], district[:30])


def region_key(region: Region) -> str:
    """Province + city in short form: "浙江省杭州市" and "浙江杭州" are one region."""
    if not region.province:
        return ""
    return f"{short_name(region.province)}/{short_name(region.city)}"
