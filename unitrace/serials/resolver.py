"""The one answer to "which unit does this scanned code name?".

Every path that starts from a code — the scan page and its API, stocktakes and transfers,
goods receipt, deliveries — reads it here and looks it up here, so a serial, a GS1 element
string (with or without symbology identifier or group separators), a GS1 Digital Link, an
MA code or one of our label URLs means the same unit everywhere.

The resolver only says what it found and, when it found nothing, why (:class:`Reason`).
What a caller requires on top — in stock in this warehouse, on this order, the supplier's
list — stays with the caller, and so do the words it shows: each caller turns a
:class:`Reason` into its own message.

Lookups:

* a label URL resolves by the unit's public token (:data:`LABEL_PATH`, the one definition
  of what our label URLs look like);
* a GTIN + serial resolves to that SKU's unit (GTINs are unique among SKUs);
* a plain serial is looked up exactly; with ``supplier_serial=True`` the supplier's serial
  is tried when no serial matches, and with ``ignore_case=True`` the serial's letter-case
  variants are tried when nothing matched exactly (a phone keyboard or Caps Lock changed
  it). That lookup asks for the variants by name so the serial index answers it: every
  variant when the serial has up to :data:`MAX_CASE_LETTERS` letters, else all-uppercase
  and all-lowercase.

Several matches are returned as candidates, never one of them picked.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import product
from urllib.parse import urlsplit

from django.db.models import QuerySet

from unitrace.catalog.models import SKU
from unitrace.codes.gs1 import ScanResult, parse_scan
from unitrace.serials.models import Unit
from unitrace.serials.selectors import units_visible_to

# A unit's public token as it appears in our URLs, and the path of its public label
# page (``labels.label_url``): /u/<public token>.
PUBLIC_HANDLE = r"[A-Za-z0-9_-]{8,24}"
LABEL_PATH = re.compile(rf"/u/({PUBLIC_HANDLE})/?$")
MAX_CANDIDATES = 20
MAX_CASE_LETTERS = 8  # 2**8 = 256 spellings at most in one IN list
CHUNK = 2000  # values in one IN list of a bulk lookup


class Reason(StrEnum):
    """Why a code resolved as it did."""

    FOUND = "found"  # exactly one unit
    AMBIGUOUS = "ambiguous"  # several candidates (e.g. a serial under several SKUs)
    NOT_FOUND = "not_found"  # readable, but no unit (in the given scope) has it
    UNREADABLE = "unreadable"  # the scan itself is broken (``ParsedCode.errors``)
    NOT_A_LABEL = "not_a_label"  # a URL, but not one of our label URLs
    NO_SERIAL = "no_serial"  # readable, but names no serial (e.g. a GTIN alone)
    UNKNOWN_GTIN = "unknown_gtin"  # GTIN + serial, but no SKU has that GTIN


def label_token(url: str | None) -> str | None:
    """The public token in one of our label URLs, else None."""
    found = LABEL_PATH.search(urlsplit(url or "").path)
    return found.group(1) if found else None


@dataclass(frozen=True)
class ParsedCode:
    """What a code says, before any lookup: its parts, or why it names no unit."""

    raw: str
    scan: ScanResult
    serial: str | None = None
    gtin: str | None = None
    lot: str | None = None
    token: str | None = None  # public token of our label URL
    problem: Reason | None = None  # UNREADABLE, NOT_A_LABEL or NO_SERIAL

    @property
    def kind(self) -> str:
        return self.scan.kind

    @property
    def errors(self) -> tuple[str, ...]:
        return self.scan.errors

    @property
    def message(self) -> str:
        """The scan's own errors, in one line."""
        return "; ".join(self.scan.errors)


def read_code(raw: str) -> ParsedCode:
    """Parse a scan (no database): serial, GTIN, lot and label token, or the problem."""
    scan = parse_scan(raw)
    parts = {"serial": scan.serial, "gtin": scan.gtin, "lot": scan.lot}
    if scan.errors:
        return ParsedCode(raw, scan, **parts, problem=Reason.UNREADABLE)
    if scan.kind == "url":
        token = label_token(scan.url)
        return ParsedCode(raw, scan, token=token, problem=None if token else Reason.NOT_A_LABEL)
    if not scan.serial:
        return ParsedCode(raw, scan, **parts, problem=Reason.NO_SERIAL)
    return ParsedCode(raw, scan, **parts)


def plain_serial(serial: str, gtin: str | None = None) -> ParsedCode:
    """A serial (and GTIN) a caller already has, looked up as is: no barcode parsing."""
    scan = ScanResult(serial, "serial", gtin=gtin, serial=serial)
    return ParsedCode(serial, scan, serial=serial, gtin=gtin)


@dataclass
class Resolution:
    """The units a code names (in the given scope) and why that many."""

    code: ParsedCode
    units: list[Unit] = field(default_factory=list)
    reason: Reason = Reason.NOT_FOUND
    matched_on: str = ""  # "public_token", "serial" or "supplier_serial"
    ignoring_case: bool = False

    @property
    def unit(self) -> Unit | None:
        return self.units[0] if len(self.units) == 1 else None

    @property
    def found(self) -> bool:
        return self.reason == Reason.FOUND


def _scope(units: QuerySet[Unit] | None, user) -> QuerySet[Unit]:
    if units is None:
        units = units_visible_to(user) if user is not None else Unit.objects.all()
    return units.select_related("sku")


def _counted(units: list[Unit]) -> Reason:
    return {0: Reason.NOT_FOUND, 1: Reason.FOUND}.get(len(units), Reason.AMBIGUOUS)


def resolve(
    code: str | ParsedCode,
    units: QuerySet[Unit] | None = None,
    *,
    user=None,
    sku: str = "",
    supplier_serial: bool = False,
    ignore_case: bool = False,
    limit: int = MAX_CANDIDATES,
) -> Resolution:
    """One code → its unit(s) among ``units`` (or those ``user`` may see, or all).

    ``sku`` (a SKU code) keeps only that SKU's units. At most ``limit`` candidates are
    returned for a serial that several SKUs share.
    """
    parsed = code if isinstance(code, ParsedCode) else read_code(code)
    if parsed.problem:
        return Resolution(parsed, reason=parsed.problem)
    queryset = _scope(units, user)
    if sku:
        queryset = queryset.filter(sku__code=sku)
    if parsed.token:
        found = list(queryset.filter(public_token=parsed.token))
        return Resolution(parsed, found, _counted(found), "public_token")
    if parsed.gtin:
        found = list(queryset.filter(sku__gtin=parsed.gtin, serial=parsed.serial)[:limit])
        if not found and not SKU.objects.filter(gtin=parsed.gtin).exists():
            return Resolution(parsed, reason=Reason.UNKNOWN_GTIN)
        return Resolution(parsed, found, _counted(found), "serial")
    names = ("serial", "supplier_serial") if supplier_serial else ("serial",)
    serial = parsed.serial or ""
    name, found = _by_serial(queryset, [serial], names, limit)
    if found:
        return Resolution(parsed, found, _counted(found), name)
    variants = case_variants(serial) if ignore_case else []
    if variants:
        name, found = _by_serial(queryset, variants, names, limit)
        if found:
            return Resolution(parsed, found, _counted(found), name, ignoring_case=True)
    return Resolution(parsed, reason=Reason.NOT_FOUND)


def _by_serial(
    units: QuerySet[Unit], serials: list[str], names: Sequence[str], limit: int
) -> tuple[str, list[Unit]]:
    """Units whose serial (or, next, whose supplier serial) is one of ``serials``."""
    for name in names:
        query = units.filter(**{f"{name}__in": serials}).order_by("sku__code", name, "pk")
        found = list(query[:limit])
        if found:
            return name, found
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


def units_by_serial(serials: Iterable[str], units: QuerySet[Unit]) -> dict[str, list[Unit]]:
    """serial → units among ``units`` with that serial: one query per :data:`CHUNK` serials."""
    wanted = sorted(set(serials))
    found: dict[str, list[Unit]] = defaultdict(list)
    for start in range(0, len(wanted), CHUNK):
        for unit in units.filter(serial__in=wanted[start : start + CHUNK]):
            found[unit.serial].append(unit)
    return found


def resolve_many(
    codes: Sequence[str | ParsedCode],
    units: QuerySet[Unit] | None = None,
    *,
    user=None,
    sku: str = "",
) -> list[Resolution]:
    """Many codes in input order, with one query per 2,000 distinct serials or tokens.

    The same answers as :func:`resolve` with its defaults, for a file of thousands.
    """
    parsed = [c if isinstance(c, ParsedCode) else read_code(c) for c in codes]
    queryset = _scope(units, user)
    if sku:
        queryset = queryset.filter(sku__code=sku)
    by_serial = units_by_serial((p.serial for p in parsed if p.serial and not p.problem), queryset)
    tokens = sorted({p.token for p in parsed if p.token})
    by_token: dict[str, list[Unit]] = defaultdict(list)
    for start in range(0, len(tokens), CHUNK):
        for unit in queryset.filter(public_token__in=tokens[start : start + CHUNK]):
            by_token[unit.public_token].append(unit)
    out: list[Resolution] = []
    unmatched_gtins: set[str] = set()
    for code in parsed:
        if code.problem:
            out.append(Resolution(code, reason=code.problem))
        elif code.token:
            found = by_token.get(code.token, [])
            out.append(Resolution(code, found, _counted(found), "public_token"))
        else:
            found = by_serial.get(code.serial or "", [])
            if code.gtin:
                found = [u for u in found if u.sku.gtin == code.gtin]
                if not found:
                    unmatched_gtins.add(code.gtin)
            out.append(Resolution(code, found, _counted(found), "serial"))
    if unmatched_gtins:
        known = set(SKU.objects.filter(gtin__in=unmatched_gtins).values_list("gtin", flat=True))
        for result in out:
            gtin = result.code.gtin
            if result.reason == Reason.NOT_FOUND and gtin in unmatched_gtins and gtin not in known:
                result.reason = Reason.UNKNOWN_GTIN
                result.matched_on = ""
    return out
