"""Free-text Chinese addresses → the division they lie in, its code and centroid.

``resolve_address("浙江杭州西湖区文三路")`` reads division names from the start of the
text, each one inside the one before ("浙江" → "杭州" → "西湖区"), and leaves the rest as
the street. It is deterministic and works on dictionaries only (a few microseconds per
address), since it runs on every intake:

* the longest name at each position wins ("吉林市" before "吉林");
* a name is taken only when it lies inside what was read so far, so "杭州市中山路" stays
  in 杭州 (中山 is a city of 广东) and the street keeps "中山路"; a name repeating what
  was read ("浙江省浙江省", or the structured fields repeated in the text) is skipped;
* short forms (浙江, 杭州, 浦东) are taken like full names, except when a street word
  follows (南京路, 长宁路) and, for districts, before a province or city is known (too many
  districts share a short name);
* a city or district alone gives its province ("杭州市西湖区" is in 浙江省);
* a name that fits several divisions ("朝阳区": 北京 and 长春) is never guessed: the
  address stays unresolved and ``ambiguous``, keeping only what all readings share.

Input is NFKC-normalised first (full-width letters, digits and spaces), and spaces and
separators between names are ignored.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from unitrace.geo.divisions import (
    CITY,
    DISTRICT,
    MUNICIPALITIES,
    PROVINCE,
    Division,
    Index,
    index,
    is_within,
)

MAX_ADDRESS = 500  # what a caller may pass; longer text is refused by the API and forms
_SEPARATORS = frozenset(" \t\r\n\u3000,，、/|;；:：.。·-_()（）[]【】")
# A short name followed by one of these may be the start of a street name (南京路, 长宁路,
# 西湖大道): it is taken only when a division name follows it (台州路桥区, 辽宁大连).
_STREET_STARTS = frozenset("路街道巷弄大里桥号")
_COUNTRY = ("中华人民共和国", "中国")
_MUNICIPALITY_CITY_WORDS = frozenset({"市辖区", "县", "城区", "郊县"})
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Resolution:
    """Where an address lies, as far as its text tells.

    ``adcode`` is the deepest division found (for an ambiguous name, the deepest one all
    readings share, possibly ""); the names are full names (a municipality's district
    has the municipality as its city); latitude/longitude are the centroid of
    ``adcode``'s division; ``street`` is the rest of the text. ``resolved`` is False when
    nothing was found, a name was ambiguous or a structured field named no division
    inside the others: ``reason`` says why, for a person to fix.
    """

    adcode: str = ""
    province: str = ""
    city: str = ""
    district: str = ""
    latitude: float | None = None
    longitude: float | None = None
    street: str = ""
    resolved: bool = False
    level: str = ""
    ambiguous: bool = False
    reason: str = ""
    candidates: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict:
        return {
            "adcode": self.adcode,
            "province": self.province,
            "city": self.city,
            "district": self.district,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "street": self.street,
            "resolved": self.resolved,
            "level": self.level,
            "ambiguous": self.ambiguous,
            "reason": self.reason,
            "candidates": list(self.candidates),
        }


def normalize(text: str) -> str:
    """Full-width forms to ordinary ones, control characters dropped, ends trimmed."""
    text = unicodedata.normalize("NFKC", text or "")
    return _CONTROL.sub("", text).strip()


def _skip(text: str, position: int) -> int:
    while position < len(text) and text[position] in _SEPARATORS:
        position += 1
    return position


@dataclass
class _Reader:
    """The reading so far: the codes the names read may mean (one when unambiguous)."""

    table: Index
    state: frozenset[str] | None = None
    last_name: str = ""

    def step(self, text: str, position: int) -> int | None:
        """Read one division name at ``position``; the position after it, or None."""
        table = self.table
        end = min(len(text), position + table.longest_name)
        for stop in range(end, position + 1, -1):
            name = text[position:stop]
            after = text[stop : stop + 1]
            for codes, short in (
                (table.full_names.get(name), False),
                (table.short_names.get(name), True),
            ):
                if not codes:
                    continue
                if short and self.state is None:
                    codes = tuple(c for c in codes if table.by_code[c].level != DISTRICT)
                before = self.state
                if not self._take(codes):
                    continue
                if short and after in _STREET_STARTS and not self._followed(text, stop):
                    self.state = before
                    continue
                self.last_name = name
                return stop
        return None

    def _followed(self, text: str, position: int) -> bool:
        """True when a division name inside the reading so far starts at ``position``."""
        probe = _Reader(self.table, self.state)
        return probe.step(text, position) is not None

    def _take(self, codes: tuple[str, ...]) -> bool:
        if not codes:
            return False
        if self.state is None:
            self.state = frozenset(codes)
            return True
        deeper = frozenset(c for c in codes if any(is_within(c, s) for s in self.state))
        if deeper:
            self.state = deeper
            return True
        # a repetition of what was read (or of an ancestor): keep the readings it fits
        kept = frozenset(s for s in self.state if any(s == c or is_within(s, c) for c in codes))
        if kept:
            self.state = kept
            return True
        return False

    def read(self, text: str, position: int = 0) -> int:
        """Read names from ``position`` while they fit; the position where the rest starts."""
        position = _skip(text, position)
        while position < len(text):
            after = self.step(text, position)
            if after is None:
                break
            position = _skip(text, after)
        return position

    def leaf(self) -> bool:
        """True when the reading is one division that has no divisions under it
        (东莞市, 中山市, a district): what follows can only be a town or a street."""
        return (
            self.state is not None
            and len(self.state) == 1
            and not self.table.children.get(next(iter(self.state)))
        )


def _common(codes: frozenset[str], table: Index) -> Division | None:
    """The deepest division containing every code (None when they share no province)."""
    chains = [table.chain(c) for c in codes]
    shared: Division | None = None
    for level_divisions in zip(*chains, strict=False):
        first = level_divisions[0]
        if all(d.code == first.code for d in level_divisions):
            shared = first
        else:
            break
    return shared


def _located(division: Division, table: Index, **extra) -> Resolution:
    chain = table.chain(division.code)
    names = {d.level: d.name for d in chain}
    province = chain[0]
    city = names.get(CITY, "")
    if province.code in MUNICIPALITIES and division.level == DISTRICT:
        city = province.name
    return Resolution(
        adcode=division.code,
        province=province.name,
        city=city,
        district=names.get(DISTRICT, ""),
        latitude=division.latitude,
        longitude=division.longitude,
        level=division.level,
        **extra,
    )


def _full_path(code: str, table: Index) -> str:
    chain = table.chain(code)
    return "".join(d.name for d in chain)


def resolve_address(
    text: str, *, province: str = "", city: str = "", district: str = ""
) -> Resolution:
    """Resolve an address: free text, optionally after structured 省/市/区 fields.

    Each structured field must name a division (inside the ones before it); the text
    may repeat them. An address nothing can be read from gives ``resolved=False`` with
    the text kept as ``street``.
    """
    table = index()
    reader = _Reader(table)
    text = normalize(text)
    prefix_street: list[str] = []
    for label, value in (("province", province), ("city", city), ("district", district)):
        value = normalize(value)
        if not value:
            continue
        if (
            label == "city"
            and value in _MUNICIPALITY_CITY_WORDS
            and reader.state is not None
            and reader.state <= MUNICIPALITIES
        ):
            continue
        if reader.leaf():  # the towns of 东莞市 or 中山市, written as the district
            prefix_street.append(value)
            continue
        if reader.read(value) != len(value):
            given = {"province": province, "city": city, "district": district}[label]
            return Resolution(
                street=text,
                reason=_("'%(name)s' is not a division inside the ones before it.")
                % {"name": given.strip()},
            )
    for country in _COUNTRY:
        if text.startswith(country):
            text = text[len(country) :]
            break
    rest = reader.read(text)
    street = text[rest:].strip()
    town = "".join(prefix_street)
    if town and not street.startswith(town):
        street = town + street
    if reader.state is None:
        return Resolution(
            street=text,
            reason=_("No address given.")
            if not text
            else _("No province, city or district of China was found in the address."),
        )
    if len(reader.state) == 1:
        return _located(
            table.by_code[next(iter(reader.state))], table, street=street, resolved=True
        )
    shared = _common(reader.state, table)
    if shared is not None and shared.code in reader.state:
        # "吉林": the province 吉林省 or its city 吉林市; the province is true either way
        return _located(shared, table, street=street, resolved=True)
    options = sorted(reader.state)
    reason = _("'%(name)s' may be %(options)s: add the province or city.") % {
        "name": reader.last_name,
        "options": _(" or ").join(_full_path(c, table) for c in options),
    }
    if shared is None:
        return Resolution(street=street, ambiguous=True, reason=reason, candidates=tuple(options))
    return _located(
        shared, table, street=street, ambiguous=True, reason=reason, candidates=tuple(options)
    )


__all__ = ["CITY", "DISTRICT", "MAX_ADDRESS", "PROVINCE", "Resolution", "resolve_address"]
