"""What the public types, checked: Chinese mobile numbers and 省/市/区 regions.

Shared by the pages, the API and the services so every path gives the same message.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

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
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_PHONE_NOISE = re.compile(r"[\s\-()（）]")


def normalize_mobile(raw: str) -> str:
    """``+86 138-1234-1234`` → ``13812341234``; anything else is refused with an example."""
    digits = _PHONE_NOISE.sub("", raw or "")
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) == 11 + len(prefix):
            digits = digits[len(prefix) :]
            break
    if not _MOBILE.match(digits):
        raise ValidationError(
            _("Enter an 11-digit Chinese mobile number starting with 1, e.g. 13812345678."),
            code="phone",
        )
    return digits


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
    if errors:
        raise ValidationError(errors)
    return Region(known, city, district)


def region_key(region: Region) -> str:
    """Province + city in short form: "浙江省杭州市" and "浙江杭州" are one region."""
    if not region.province:
        return ""
    return f"{short_name(region.province)}/{short_name(region.city)}"
