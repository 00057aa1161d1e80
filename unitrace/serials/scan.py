"""From whatever a scanner or phone camera yields to the unit it names.

Parsing is ``gs1.parse_scan``; this adds our own rules: a GTIN must belong to one of
our SKUs, our public page URLs resolve by token, and a serial that exists under
several SKUs returns every candidate rather than a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from unitrace.catalog.models import SKU
from unitrace.serials.gs1 import ScanResult, parse_scan
from unitrace.serials.models import Unit
from unitrace.serials.selectors import units_visible_to

_PUBLIC_PATH = re.compile(r"/u/([A-Za-z0-9_-]{8,24})/?$")
MAX_CANDIDATES = 20


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
        match.units = list(
            visible.filter(serial=parsed.serial).order_by("sku__code")[:MAX_CANDIDATES]
        )
        if not match.units:
            match.units = list(
                visible.filter(supplier_serial=parsed.serial).order_by("sku__code")[:MAX_CANDIDATES]
            )
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
