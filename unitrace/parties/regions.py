"""Chinese regions as people type them, and whether a distributor may sell there."""

from __future__ import annotations

from dataclasses import dataclass

_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市")


def short_name(name: str) -> str:
    """ "浙江省" and "浙江" compare equal; so do "上海市" and "上海"."""
    name = name.strip()
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


@dataclass(frozen=True)
class Region:
    province: str
    city: str = ""
    district: str = ""

    def __str__(self) -> str:
        return "".join(p for p in (self.province, self.city, self.district) if p)


def authorized(party, region: Region) -> bool:
    """True when ``party`` may sell in ``region`` (or has no regions on record)."""
    rows = list(party.regions.values_list("province", "city"))
    if not rows:
        return True
    province, city = short_name(region.province), short_name(region.city)
    for allowed_province, allowed_city in rows:
        if short_name(allowed_province) != province:
            continue
        if not allowed_city or short_name(allowed_city) == city:
            return True
    return False
