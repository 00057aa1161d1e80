"""From scanned codes to units, one at a time (a scanner) or thousands at once (a file).

Accepts what the scan page accepts: a plain serial, a GS1 element string or Digital
Link (GTIN + serial), or a unitrace label URL. A serial that several SKUs share is
refused as ambiguous rather than guessed. The lookup is the serials resolver's
(``serials.resolver``); this module gives its answers this app's outcomes and words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from unitrace.serials.models import Unit
from unitrace.serials.resolver import Reason, Resolution, resolve, resolve_many


@dataclass
class Resolved:
    code: str
    unit: Unit | None = None
    outcome: str = "found"  # found, unknown, ambiguous, invalid
    message: str = ""

    @property
    def label(self) -> str:
        return self.unit.serial if self.unit is not None else self.code


def _resolved(code: str, result: Resolution) -> Resolved:
    """The resolver's answer in this app's terms (outcome and message)."""
    parsed, reason = result.code, result.reason
    if reason == Reason.FOUND:
        return Resolved(code, result.units[0])
    if reason == Reason.UNREADABLE:
        return Resolved(code, outcome="invalid", message=parsed.message)
    if reason == Reason.NOT_A_LABEL:
        return Resolved(code, outcome="invalid", message=_("this URL is not a unitrace label"))
    if reason == Reason.NO_SERIAL and parsed.gtin:
        return Resolved(
            code,
            outcome="invalid",
            message=_("the code has a GTIN but no serial (21): it names a product"),
        )
    if reason == Reason.AMBIGUOUS:
        return Resolved(
            code,
            outcome="ambiguous",
            message=_("serial %(serial)s exists under %(n)d SKUs: scan the GS1 code")
            % {"serial": parsed.serial, "n": len(result.units)},
        )
    return Resolved(
        code,
        outcome="unknown",
        message=_("no unit with serial %(serial)s") % {"serial": parsed.serial or code.strip()},
    )


def resolve_code(code: str, units: QuerySet[Unit]) -> Resolved:
    """One scan: one query when it names a unit (the scanner waits on it)."""
    return _resolved(code, resolve(code, units))


def resolve_codes(codes: Sequence[str], units: QuerySet[Unit]) -> list[Resolved]:
    """Many scans in input order, with one query per 2,000 distinct serials."""
    return [
        _resolved(code, result)
        for code, result in zip(codes, resolve_many(codes, units), strict=True)
    ]


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
