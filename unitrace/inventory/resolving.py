"""From scanned codes to units, one at a time (a scanner) or thousands at once (a file).

Accepts what the scan page accepts: a plain serial, a GS1 element string or Digital
Link (GTIN + serial), or a unitrace label URL. A serial that several SKUs share is
refused as ambiguous rather than guessed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from unitrace.codes.gs1 import parse_scan
from unitrace.serials.models import Unit

_PUBLIC_PATH = re.compile(r"/u/([A-Za-z0-9_-]{8,24})/?$")
CHUNK = 2000


@dataclass
class Resolved:
    code: str
    unit: Unit | None = None
    outcome: str = "found"  # found, unknown, ambiguous, invalid
    message: str = ""

    @property
    def label(self) -> str:
        return self.unit.serial if self.unit is not None else self.code


@dataclass(frozen=True)
class _Key:
    serial: str | None = None
    gtin: str | None = None
    token: str | None = None
    error: str = ""


def _key(code: str) -> _Key:
    parsed = parse_scan(code)
    if parsed.errors:
        return _Key(error="; ".join(parsed.errors))
    if parsed.kind == "url":
        found = _PUBLIC_PATH.search(urlsplit(parsed.url or "").path)
        if not found:
            return _Key(error=_("this URL is not a unitrace label"))
        return _Key(token=found.group(1))
    if parsed.gtin and not parsed.serial:
        return _Key(error=_("the code has a GTIN but no serial (21): it names a product"))
    return _Key(serial=parsed.serial, gtin=parsed.gtin)


def _pick(code: str, key: _Key, candidates: list[Unit]) -> Resolved:
    if key.gtin:
        candidates = [u for u in candidates if u.sku.gtin == key.gtin]
    if len(candidates) == 1:
        return Resolved(code, candidates[0])
    if not candidates:
        return Resolved(
            code,
            outcome="unknown",
            message=_("no unit with serial %(serial)s") % {"serial": key.serial or code.strip()},
        )
    return Resolved(
        code,
        outcome="ambiguous",
        message=_("serial %(serial)s exists under %(n)d SKUs: scan the GS1 code")
        % {"serial": key.serial, "n": len(candidates)},
    )


def resolve_code(code: str, units: QuerySet[Unit]) -> Resolved:
    """One scan: one query (the scanner waits on it)."""
    key = _key(code)
    if key.error:
        return Resolved(code, outcome="invalid", message=key.error)
    queryset = units.select_related("sku")
    if key.token:
        return _pick(code, key, list(queryset.filter(public_token=key.token)))
    if key.gtin:
        queryset = queryset.filter(sku__gtin=key.gtin)
    return _pick(code, key, list(queryset.filter(serial=key.serial)[:20]))


def resolve_codes(codes: Sequence[str], units: QuerySet[Unit]) -> list[Resolved]:
    """Many scans in input order, with one query per 2,000 distinct serials."""
    keys = [_key(code) for code in codes]
    serials = sorted({k.serial for k in keys if k.serial})
    tokens = sorted({k.token for k in keys if k.token})
    by_serial: dict[str, list[Unit]] = defaultdict(list)
    by_token: dict[str, list[Unit]] = defaultdict(list)
    queryset = units.select_related("sku")
    for start in range(0, len(serials), CHUNK):
        for unit in queryset.filter(serial__in=serials[start : start + CHUNK]):
            by_serial[unit.serial].append(unit)
    for start in range(0, len(tokens), CHUNK):
        for unit in queryset.filter(public_token__in=tokens[start : start + CHUNK]):
            by_token[unit.public_token].append(unit)
    out = []
    for code, key in zip(codes, keys, strict=True):
        if key.error:
            out.append(Resolved(code, outcome="invalid", message=key.error))
        elif key.token:
            out.append(_pick(code, key, by_token.get(key.token, [])))
        else:
            out.append(_pick(code, key, by_serial.get(key.serial or "", [])))
    return out


def split_codes(text: str) -> list[str]:
    """A pasted list: one code per line, or separated by spaces, commas or semicolons."""
    return [c for c in re.split(r"[\s,;，；]+", text) if c]


def units_for_codes(codes: Sequence[str], units: QuerySet[Unit]) -> list[Unit]:
    """Every code must name exactly one unit, else nothing is returned (row-level errors)."""
    from unitrace.inventory.errors import InventoryError, row

    codes = [c.strip() for c in codes if c and c.strip()]
    if not codes:
        raise InventoryError(_("no serials given"), code="empty")
    resolved = resolve_codes(codes, units.select_related("warehouse"))
    errors = [row(r.code, r.message, r.outcome) for r in resolved if r.unit is None]
    if errors:
        raise InventoryError(
            _("%(count)d codes do not name a unit; nothing was done") % {"count": len(errors)},
            code="unknown_units",
            rows=errors,
        )
    return [r.unit for r in resolved if r.unit is not None]
