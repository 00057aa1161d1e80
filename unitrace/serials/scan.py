"""The scan page's answer to a code: the resolver's units, with the page's own words.

The lookup is :func:`unitrace.serials.resolver.resolve` over the units the user may see,
trying supplier serials and letter-case variants (see there); this module only adds the
message the page and ``/api/scan/`` show for each outcome.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from unitrace.codes.gs1 import ScanResult
from unitrace.serials.models import Unit
from unitrace.serials.resolver import (
    MAX_CANDIDATES,
    MAX_CASE_LETTERS,
    Reason,
    case_variants,
    resolve,
)

__all__ = ["MAX_CANDIDATES", "MAX_CASE_LETTERS", "ScanMatch", "case_variants", "resolve_scan"]


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
    result = resolve(code, user=user, supplier_serial=True, ignore_case=True)
    parsed = result.code
    match = ScanMatch(parsed.scan, result.units)
    reason = result.reason
    if reason == Reason.UNREADABLE:
        match.message = parsed.message
    elif reason == Reason.NOT_A_LABEL:
        match.message = _("this URL is not a unitrace label")
    elif reason == Reason.NO_SERIAL and parsed.gtin:
        match.message = _("the code has a GTIN but no serial (21): it names a product, not a unit")
    elif reason == Reason.UNKNOWN_GTIN:
        match.message = _("no SKU has GTIN %(gtin)s") % {"gtin": parsed.gtin}
    elif result.ignoring_case and len(result.units) > 1:
        match.message = _(
            "%(n)d units match %(serial)s when letter case is ignored: choose one"
        ) % {"n": len(result.units), "serial": parsed.serial}
    elif result.ignoring_case:
        match.message = _("%(serial)s matched %(found)s, ignoring letter case") % {
            "serial": parsed.serial,
            "found": getattr(result.units[0], result.matched_on),
        }
    elif not result.units:
        match.message = _("no unit with serial %(serial)s") % {
            "serial": parsed.serial or parsed.raw.strip()
        }
    elif len(result.units) > 1:
        match.message = _("serial %(serial)s exists under %(n)d SKUs: choose one") % {
            "serial": parsed.serial,
            "n": len(result.units),
        }
    return match
