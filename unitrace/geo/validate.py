"""省/市/区 fields checked against the divisions (GB/T 2260), one message per field.

Names compare in full or short form ("浙江" is 浙江省, "杭州" is 杭州市, "恩施州" is
恩施土家族苗族自治州). A city must lie in its province and a district in its city; in
the municipalities (北京, 天津, 上海, 重庆) the city may be the municipality itself or, as
people write it, one of its districts. Cities without districts (东莞市, 中山市...) and
county-level cities governed by the province (仙桃市) take any district (their towns).
"""

from __future__ import annotations

import unicodedata

from django.utils.translation import gettext as _

from unitrace.geo.divisions import (
    DISTRICT,
    MUNICIPALITIES,
    PROVINCE,
    Division,
    index,
    is_within,
    short_forms,
)

MUNICIPALITY_CITY_WORDS = frozenset({"市辖区", "县"})


def _clean(name: str) -> str:
    return unicodedata.normalize("NFKC", name or "").strip()


def find(name: str, *, inside: str = "", level: str = "") -> Division | None:
    """The division called ``name`` (full or short form) inside division ``inside``
    (anywhere when empty), of ``level`` when given; None when there is none or the
    name fits several."""
    name = _clean(name)
    if not name:
        return None
    table = index()
    codes = table.full_names.get(name, ()) + table.short_names.get(name, ())
    found = {
        code
        for code in codes
        if (not inside or is_within(code, inside))
        and (not level or table.by_code[code].level == level)
    }
    if not found:  # "杭州区" style typos of the suffix: compare the stems
        stems = set(short_forms(name, level or DISTRICT)) | set(short_forms(name, PROVINCE))
        for stem in stems:
            for code in table.full_names.get(stem, ()) + table.short_names.get(stem, ()):
                if (not inside or is_within(code, inside)) and (
                    not level or table.by_code[code].level == level
                ):
                    found.add(code)
    if len(found) != 1:
        return None
    return table.by_code[found.pop()]


def region_errors(province: str, city: str = "", district: str = "") -> dict[str, str]:
    """The fields of a 省/市/区 address that name no division (empty when all is well).

    Empty fields are allowed (addresses are optional), but a city needs its province
    and a district its city (in a municipality, its province)."""
    province, city, district = _clean(province), _clean(city), _clean(district)
    if not (province or city or district):
        return {}
    if not province:
        return {"province": _("Choose the province of this city.")}
    top = find(province, level=PROVINCE)
    if top is None:
        return {"province": _("'%(name)s' is not a province of China.") % {"name": province}}
    table = index()
    if top.code in MUNICIPALITIES:
        same = find(city, level=PROVINCE) == top or city in MUNICIPALITY_CITY_WORDS
        if city and not same and find(city, inside=top.code) is None:
            return {
                "city": _("'%(name)s' is not a district of %(province)s.")
                % {"name": city, "province": province}
            }
        if district and find(district, inside=top.code) is None:
            return {
                "district": _("'%(name)s' is not a district of %(province)s.")
                % {"name": district, "province": province}
            }
        return {}
    if not city:
        return {"city": _("Enter the city of this district.")} if district else {}
    town = find(city, inside=top.code)
    if town is None or town.level == DISTRICT:
        return {
            "city": _("'%(name)s' is not a city of %(province)s.")
            % {"name": city, "province": province}
        }
    if district and table.children.get(town.code) and find(district, inside=town.code) is None:
        return {
            "district": _("'%(name)s' is not a district of %(city)s.")
            % {"name": district, "city": city}
        }
    return {}
