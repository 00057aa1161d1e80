"""What a scan names on a purchase order: which serial, which line, which ASN row.

Shared by the one-scan path and the bulk (range, list, file) path so both refuse the
same things with the same words. Nothing here writes.

Serial rules: a serial that does not fit its SKU's rule is not that SKU's serial and is
refused (``wrong_sku``), never quarantined as a suspected counterfeit. The rule always
applies when the SKU enforces it, and to every serial off the supplier's list when the
order has one (that is what would otherwise be quarantined). Without a list, the rules
of the register apply (``serials.importing``): a serial of the SKU's own form must have
the right check character, and a serial of another SKU's distinctive rule is that SKU's.
Serials on the supplier's list were checked when the list was imported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unitrace.catalog.models import SKU
from unitrace.codes.patterns import PatternError, SerialPattern
from unitrace.codes.serial_text import SerialFormatError, check_serial_text
from unitrace.core.errors import DomainError
from unitrace.procurement.models import ExpectedSerial, PurchaseOrder, PurchaseOrderLine
from unitrace.procurement.sql import LIST_CHUNK, as_rows
from unitrace.serials import resolver
from unitrace.serials.importing import MIN_CLAIM_LITERAL
from unitrace.serials.models import Unit
from unitrace.serials.resolver import Reason

SERIAL_FIELD_LENGTH = Unit._meta.get_field("serial").max_length


class Outcome(models.TextChoices):
    ACCEPTED = "accepted", gettext_lazy("accepted")
    SUSPECT = "suspect", gettext_lazy("suspect: quarantined")
    DUPLICATE = "duplicate", gettext_lazy("duplicate")
    UNKNOWN = "unknown", gettext_lazy("unknown")
    WRONG_SKU = "wrong_sku", gettext_lazy("wrong SKU")
    OVER_QUANTITY = "over_quantity", gettext_lazy("over the ordered quantity")
    INVALID = "invalid", gettext_lazy("unreadable code")


# Outcome -> the Receipt tally it adds to.
TALLY = {
    Outcome.ACCEPTED: "accepted",
    Outcome.SUSPECT: "suspected",
    Outcome.DUPLICATE: "duplicate",
    Outcome.UNKNOWN: "unknown",
    Outcome.WRONG_SKU: "wrong_sku",
    Outcome.OVER_QUANTITY: "over_quantity",
    Outcome.INVALID: "invalid",
}
REFUSALS = tuple(o for o in Outcome if o not in (Outcome.ACCEPTED, Outcome.SUSPECT))


class Refused(DomainError):
    """A scan that is refused; nothing about units was written. The outcome is the code."""

    code = "refused"

    def __init__(self, outcome: str, message: str, *, serial: str = "", sku: str = ""):
        super().__init__(message, code=str(outcome))
        self.outcome = outcome
        self.serial = serial
        self.sku = sku


@dataclass(frozen=True)
class Code:
    """The serial (and GTIN or SKU, if the code says) a scan carries."""

    serial: str
    gtin: str | None = None
    sku_id: int | None = None


class AsnRow(NamedTuple):
    id: int
    sku_id: int
    line_id: int
    serial: str
    supplier_serial: str
    batch_id: int | None
    production_date: date | None
    receipt_id: int | None
    batch_date: date | None


ASN_FIELDS = (*AsnRow._fields[:-1], "batch__production_date")


@dataclass(frozen=True)
class Target:
    serial: str
    line: PurchaseOrderLine
    asn: AsnRow | None


def read_code(raw: str) -> Code:
    """Parse a scan (serial, GS1 element string, Digital Link, our label URL)."""
    parsed = resolver.read_code(raw)
    if parsed.problem == Reason.UNREADABLE:
        raise Refused(Outcome.INVALID, parsed.message, serial=raw.strip()[:60])
    if parsed.kind == "url":
        unit = resolver.resolve(parsed, Unit.objects.all()).unit if parsed.token else None
        if unit is None:
            raise Refused(Outcome.INVALID, _("this link is not a product label with a serial"))
        return Code(unit.serial, sku_id=unit.sku_id)
    if not parsed.serial:
        raise Refused(
            Outcome.INVALID,
            _("the code has a GTIN but no serial (21): it names a product, not a unit"),
        )
    try:
        check_serial_text(parsed.serial, SERIAL_FIELD_LENGTH)
    except SerialFormatError as exc:
        raise Refused(Outcome.INVALID, exc.message, serial=parsed.serial)
    return Code(parsed.serial, parsed.gtin)


def plain_code(serial: str) -> Code:
    """A serial typed, pasted or read from a file: no barcode parsing, same text checks."""
    try:
        check_serial_text(serial, SERIAL_FIELD_LENGTH)
    except SerialFormatError as exc:
        raise Refused(Outcome.INVALID, exc.message, serial=serial)
    return Code(serial)


def asn_rows(order: PurchaseOrder, serials: Iterable[str]) -> dict[str, list[AsnRow]]:
    """The order's ASN rows for these serials, by serial (one query)."""
    wanted = list(dict.fromkeys(serials))
    found: dict[str, list[AsnRow]] = {}
    for start in range(0, len(wanted), LIST_CHUNK):
        part = as_rows(wanted[start : start + LIST_CHUNK])
        query = ExpectedSerial.objects.filter(order=order, serial__in=part)
        for row in query.values_list(*ASN_FIELDS):
            item = AsnRow(*row)
            found.setdefault(item.serial, []).append(item)
    return found


def scan_asn_rows(order: PurchaseOrder, serial: str) -> list[AsnRow]:
    """The order's ASN rows for one scanned serial, in any letter case.

    The register treats ``PB1`` and ``pb1`` as one serial, so the list does too: the exact
    spelling first (the index on (order, serial) serves it), then the other spellings.
    """
    rows = asn_rows(order, [serial]).get(serial, [])
    if rows:
        return rows
    found = asn_rows(order, resolver.case_variants(serial))
    return [row for spelling in sorted(found) for row in found[spelling]]


class OrderLines:
    """An order's lines and the rules that tie a scanned serial to one of them."""

    def __init__(self, order: PurchaseOrder, lines: list[PurchaseOrderLine] | None = None):
        self.order = order
        self.lines = (
            lines
            if lines is not None
            else list(
                PurchaseOrderLine.objects.filter(order=order).select_related("sku").order_by("pk")
            )
        )
        self.by_sku = {line.sku_id: line for line in self.lines}
        self.by_id = {line.pk: line for line in self.lines}
        self.has_asn = any(line.asn_quantity for line in self.lines)
        self._gtins: dict[str, SKU | None] = {
            line.sku.gtin: line.sku for line in self.lines if line.sku.gtin
        }
        self._codes: dict[int, str] = {line.sku_id: line.sku.code for line in self.lines}
        self._patterns: dict[int, SerialPattern | None] = {}
        self._distinctive: list[tuple[str, SerialPattern]] | None = None

    def sku_for_gtin(self, gtin: str) -> SKU | None:
        if gtin not in self._gtins:
            self._gtins[gtin] = SKU.objects.filter(gtin=gtin).first()
        return self._gtins[gtin]

    def sku_code(self, sku_id: int) -> str:
        if sku_id not in self._codes:
            self._codes[sku_id] = SKU.objects.filter(pk=sku_id).values_list("code", flat=True)[0]
        return self._codes[sku_id]

    def _named_sku(self, code: Code, chosen: SKU | None) -> int | None:
        """The SKU the code itself (GTIN, label) or the clerk names; refused if off the order."""
        named: int | None = code.sku_id
        if code.gtin:
            sku = self.sku_for_gtin(code.gtin)
            if sku is None:
                raise Refused(
                    Outcome.UNKNOWN,
                    _("no SKU has GTIN %(gtin)s") % {"gtin": code.gtin},
                    serial=code.serial,
                )
            named = sku.pk
        if named is not None and named not in self.by_sku:
            raise Refused(
                Outcome.WRONG_SKU,
                _("%(serial)s is SKU %(sku)s, which is not on order %(order)s")
                % {"serial": code.serial, "sku": self.sku_code(named), "order": self.order.number},
                serial=code.serial,
                sku=self.sku_code(named),
            )
        if chosen is not None and named is not None and chosen.pk != named:
            raise Refused(
                Outcome.WRONG_SKU,
                _("%(serial)s is SKU %(sku)s, not the chosen %(chosen)s")
                % {"serial": code.serial, "sku": self.sku_code(named), "chosen": chosen.code},
                serial=code.serial,
                sku=self.sku_code(named),
            )
        if named is None and chosen is not None:
            if chosen.pk not in self.by_sku:
                raise Refused(
                    Outcome.WRONG_SKU,
                    _("SKU %(sku)s is not on order %(order)s")
                    % {"sku": chosen.code, "order": self.order.number},
                    serial=code.serial,
                    sku=chosen.code,
                )
            named = chosen.pk
        return named

    def resolve(
        self,
        code: Code,
        listed: list[AsnRow],
        *,
        chosen: SKU | None = None,
        unit_skus: Callable[[str], list[int]] | None = None,
    ) -> Target:
        """The line a scanned serial belongs to, or :class:`Refused` with the reason."""
        serial = code.serial
        named = self._named_sku(code, chosen)
        if listed:
            rows = [r for r in listed if r.sku_id == named] if named is not None else listed
            if not rows:
                raise Refused(
                    Outcome.WRONG_SKU,
                    _(
                        "%(serial)s is listed as SKU %(listed)s by the supplier, but the code "
                        "says %(sku)s"
                    )
                    % {
                        "serial": serial,
                        "listed": self.sku_code(listed[0].sku_id),
                        "sku": self.sku_code(named),
                    },
                    serial=serial,
                    sku=self.sku_code(named),
                )
            if len(rows) > 1:
                raise Refused(
                    Outcome.UNKNOWN,
                    _(
                        "%(serial)s is listed under several SKUs: scan the product barcode or "
                        "choose the SKU"
                    )
                    % {"serial": serial},
                    serial=serial,
                )
            # the list's spelling (the scan may differ in letter case only)
            return self._target(rows[0].serial, self.by_id[rows[0].line_id], rows[0])
        if named is not None:
            return self._target(serial, self.by_sku[named], None)
        if len(self.lines) == 1:
            return self._target(serial, self.lines[0], None)
        existing = unit_skus(serial) if unit_skus is not None else []
        on_order = [s for s in existing if s in self.by_sku]
        if len(on_order) == 1:
            return self._target(serial, self.by_sku[on_order[0]], None)
        if existing and not on_order:
            raise Refused(
                Outcome.WRONG_SKU,
                _("%(serial)s is SKU %(sku)s, which is not on order %(order)s")
                % {"serial": serial, "sku": self.sku_code(existing[0]), "order": self.order.number},
                serial=serial,
                sku=self.sku_code(existing[0]),
            )
        fitting = [line for line in self.lines if _fits(line.sku, serial)]
        if len(fitting) == 1:
            return self._target(serial, fitting[0], None)
        raise Refused(
            Outcome.UNKNOWN,
            _(
                "%(serial)s is not on the supplier's list and its SKU cannot be told: scan the "
                "product barcode or choose the SKU"
            )
            % {"serial": serial},
            serial=serial,
        )

    def _target(self, serial: str, line: PurchaseOrderLine, row: AsnRow | None) -> Target:
        # The text itself was checked when the code was read; only the SKU's own limits
        # (length, rule) remain.
        try:
            if len(serial) > line.sku.serial_max_length:
                check_serial_text(serial, line.sku.serial_max_length)
        except SerialFormatError as exc:
            raise Refused(Outcome.INVALID, exc.message, serial=serial, sku=line.sku.code)
        self._check_rule(serial, line.sku, listed=row is not None)
        return Target(serial, line, row)

    def _pattern(self, sku: SKU) -> SerialPattern | None:
        if sku.pk not in self._patterns:
            try:
                self._patterns[sku.pk] = sku.pattern
            except PatternError:
                self._patterns[sku.pk] = None  # a broken rule claims nothing
        return self._patterns[sku.pk]

    def _check_rule(self, serial: str, sku: SKU, *, listed: bool) -> None:
        """Refuse ``serial`` as not this SKU's if its serial rule (or another's) says so."""
        pattern = self._pattern(sku)
        try:
            if pattern is not None and (sku.enforce_pattern or (self.has_asn and not listed)):
                pattern.matches(serial)
                return
            if listed:
                return
            if pattern is not None and pattern.shape.fullmatch(serial) is not None:
                pattern.check_claimed(serial)
                return  # of this SKU's own form: not another SKU's
        except SerialFormatError as exc:
            raise Refused(
                Outcome.WRONG_SKU,
                _("%(serial)s is not a serial of SKU %(sku)s: %(reason)s")
                % {"serial": serial, "sku": sku.code, "reason": exc.message},
                serial=serial,
                sku=sku.code,
            )
        owners = [
            code
            for code, rule in self._distinctive_rules()
            if code != sku.code and rule.is_own_serial(serial)
        ]
        if owners:
            raise Refused(
                Outcome.WRONG_SKU,
                _(
                    "%(serial)s is a serial of SKU %(owners)s (it fits that rule, check "
                    "character included), not of %(sku)s"
                )
                % {"serial": serial, "owners": ", ".join(owners), "sku": sku.code},
                serial=serial,
                sku=owners[0],
            )

    def _distinctive_rules(self) -> list[tuple[str, SerialPattern]]:
        """Other SKUs' rules that name their serials beyond doubt (as the register has it):
        a check character and at least two literal characters. Loaded once per order."""
        if self._distinctive is None:
            self._distinctive = []
            query = SKU.objects.filter(serialized=True).exclude(serial_pattern="")
            for code, text in query.order_by("code").values_list("code", "serial_pattern"):
                try:
                    rule = SerialPattern.parse(text)
                except PatternError:
                    continue
                if rule.check_algorithm and rule.literal_length >= MIN_CLAIM_LITERAL:
                    self._distinctive.append((code, rule))
        return self._distinctive


def _fits(sku: SKU, serial: str) -> bool:
    if not sku.serial_pattern:
        return False
    try:
        sku.pattern.matches(serial)
    except (SerialFormatError, ValueError):
        return False
    return True


def unit_skus_of(serial: str) -> list[int]:
    """SKU ids under which ``serial`` is registered (for a plain serial off the list)."""
    found = resolver.units_by_serial([serial], Unit.objects.only("pk", "serial", "sku_id"))
    return [unit.sku_id for unit in found.get(serial, [])][:20]
