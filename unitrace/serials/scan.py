"""From whatever a scanner or phone camera yields to the unit it names.

Parsing is ``gs1.parse_scan``; this adds our own rules: a GTIN must belong to one of
our SKUs, our public page URLs resolve by token, and a serial that exists under
several SKUs returns every candidate rather than a guess.

A plain serial is looked up exactly (serial, then supplier serial); if nothing matches,
ignoring letter case (a phone keyboard or Caps Lock changed it). That lookup asks for
the serial's case variants by name so the serial index answers it: every variant when
it has up to :data:`MAX_CASE_LETTERS` letters, else all-uppercase and all-lowercase.
Several matches are returned as candidates, never one of them picked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import product
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from unitrace.catalog.models import SKU
from unitrace.codes.gs1 import ScanResult, parse_scan
from unitrace.serials.models import Unit
from unitrace.serials.selectors import units_visible_to

_PUBLIC_PATH = re.compile(r"/u/([A-Za-z0-9_-]{8,24})/?$")
MAX_CANDIDATES = 20
MAX_CASE_LETTERS = 8  # 2**8 = 256 spellings at most in one IN list


@dataclass
class ScanMatch:
    code: ScanResult
    units: list[Unit] = field(default_factory=list)
    message: str = ""

    @property
    def unit(self) -> Unit | None:
        return self.units[0] if len(self.units) == 1 else None

    @property
    def outcome(self) -> str:
        if self.code.errors and not self.units:
            return "invalid"
        return {0: "not_found", 1: "found"}.get(len(self.units), "ambiguous")


def resolve_scan(code: str, user) -> ScanMatch:
    parsed = parse_scan(code)
    visible = units_visible_to(user).select_related("sku")
    match = ScanMatch(parsed)
    if parsed.errors:
        match.message = "; ".join(parsed.errors)
        return match
    if parsed.kind == "url":
        found = _PUBLIC_PATH.search(urlsplit(parsed.url or "").path)
        if not found:
            match.message = _("this URL is not a unitrace label")
            return match
        match.units = list(visible.filter(public_token=found.group(1)))
    elif parsed.gtin:
        if not parsed.serial:
            match.message = _(
                "the code has a GTIN but no serial (21): it names a product, not a unit"
            )
            return match
        sku = SKU.objects.filter(gtin=parsed.gtin).first()
        if sku is None:
            match.message = _("no SKU has GTIN %(gtin)s") % {"gtin": parsed.gtin}
            return match
        match.units = list(visible.filter(sku=sku, serial=parsed.serial))
    elif parsed.serial:
        _name, match.units = _by_serial(visible, [parsed.serial])
        variants = [] if match.units else case_variants(parsed.serial)
        if variants:
            name, match.units = _by_serial(visible, variants)
            if len(match.units) > 1:
                match.message = _(
                    "%(n)d units match %(serial)s when letter case is ignored: choose one"
                ) % {"n": len(match.units), "serial": parsed.serial}
                return match
            if match.units:
                match.message = _("%(serial)s matched %(found)s, ignoring letter case") % {
                    "serial": parsed.serial,
                    "found": getattr(match.units[0], name),
                }
                return match
    if not match.units and not match.message:
        match.message = _("no unit with serial %(serial)s") % {
            "serial": parsed.serial or parsed.raw.strip()
        }
    elif len(match.units) > 1:
        match.message = _("serial %(serial)s exists under %(n)d SKUs: choose one") % {
            "serial": parsed.serial,
            "n": len(match.units),
        }
    return match


def _by_serial(visible, serials: list[str]) -> tuple[str, list[Unit]]:
    """Units whose serial, or else whose supplier serial, is one of ``serials``."""
    for name in ("serial", "supplier_serial"):
        query = visible.filter(**{f"{name}__in": serials}).order_by("sku__code", name, "pk")
        units = list(query[:MAX_CANDIDATES])
        if units:
            return name, units
    return "", []


def case_variants(serial: str) -> list[str]:
    """Other spellings of ``serial`` that differ only in the case of ASCII letters."""
    letters = sum(c.isascii() and c.isalpha() for c in serial)
    if letters <= MAX_CASE_LETTERS:
        options = [(c.lower(), c.upper()) if c.isascii() and c.isalpha() else (c,) for c in serial]
        variants = {"".join(spelling) for spelling in product(*options)}
    else:
        variants = {serial.upper(), serial.lower()}
    variants.discard(serial)
    return sorted(variants)
