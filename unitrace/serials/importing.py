"""Registering serials from files, pasted or scanned lists and ranges.

All paths share one validator so a clerk's pasted list and an integrator's 100,000-row
CSV get the same checks and the same messages. By default a submission is all or
nothing; ``mode="valid-only"`` registers the good rows and reports the rest.

Serial rules (see :func:`validate_rows`): a SKU that enforces its rule takes only serials
that fit it. Otherwise other serials (e.g. a supplier's) are welcome, but a serial that
claims to be ours must be right: one of the SKU's own rule form must have the right check
character, and one that is, check character included, a serial of another SKU's
distinctive rule (with a check character and at least two literal characters, like
``IP{YY}{SEQ:6}{CHECK}``) is refused as that SKU's.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from unitrace.catalog.models import SKU, Batch
from unitrace.codes.gs1 import normalize_gtin
from unitrace.codes.pasted import ScannedCode
from unitrace.codes.patterns import PatternError, SerialPattern
from unitrace.codes.serial_text import SerialFormatError, check_serial_text
from unitrace.core.dates import parse_day
from unitrace.core.errors import DomainError, RowError, error_report
from unitrace.core.tabular import UNIT_IMPORT_ALIASES, TableError, read_table
from unitrace.serials.registration import NewUnit, register_units, registered_serials

MODES = ("all", "valid-only")
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")
_CODE = "_scanned_code"  # row key: the ScannedCode a pasted list's serial was read from
MIN_CLAIM_LITERAL = 2  # literal characters that make another SKU's rule distinctive


@dataclass
class ImportResult:
    mode: str
    rows: int = 0
    created: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {
            "mode": self.mode,
            "rows": self.rows,
            "created": self.created,
            "error_count": len(self.errors),
            "rows_with_errors": len({e.row for e in self.errors}),
        }


class ImportRefused(DomainError):
    """All-or-nothing import with errors: nothing was written; ``rows`` say why."""

    code = "import_refused"

    def __init__(self, result: ImportResult):
        super().__init__(
            _("%(n)d errors in %(rows)d rows; nothing was imported")
            % {"n": len(result.errors), "rows": len({e.row for e in result.errors})},
            rows=result.errors,
        )
        self.result = result

    def meta(self) -> dict:
        """The import's counts, and the CSV report a clerk can open to fix the list."""
        return {**self.result.as_dict(), "report": error_report(self.result.errors)}


class _Lookups:
    """Caches SKUs and batches by code so a million rows cost a handful of queries."""

    def __init__(self) -> None:
        self.skus: dict[str, SKU | None] = {}
        self.batches: dict[tuple[int, str], Batch | None] = {}
        self.by_gtin: dict[str, str | None] = {}

    def sku_code_for_gtin(self, gtin: str) -> str | None:
        if gtin not in self.by_gtin:
            self.by_gtin[gtin] = (
                SKU.objects.filter(gtin=gtin).values_list("code", flat=True).first()
            )
        return self.by_gtin[gtin]

    def sku(self, code: str) -> SKU | None:
        if code not in self.skus:
            self.skus[code] = SKU.objects.filter(code=code).first()
        return self.skus[code]

    def batch(self, sku: SKU, code: str) -> Batch | None:
        key = (sku.pk, code)
        if key not in self.batches:
            self.batches[key] = Batch.objects.filter(sku=sku, code=code).first()
        return self.batches[key]


class _Rules:
    """Serial rules by SKU, and the other SKUs' distinctive rules (loaded when needed)."""

    def __init__(self) -> None:
        self.patterns: dict[int, SerialPattern | None] = {}
        self._others: list[tuple[str, SerialPattern]] | None = None
        self._any_other: re.Pattern[str] | None = None

    def of(self, sku: SKU) -> SerialPattern | None:
        if sku.pk not in self.patterns:
            try:
                self.patterns[sku.pk] = sku.pattern
            except PatternError:
                if sku.enforce_pattern:
                    raise
                self.patterns[sku.pk] = None  # a broken rule cannot claim anything
        return self.patterns[sku.pk]

    def owners(self, serial: str, sku: SKU) -> list[tuple[str, SerialPattern]]:
        """Other SKUs whose distinctive rule ``serial`` fits, check character included."""
        if self._others is None:
            self._others = []
            query = SKU.objects.filter(serialized=True).exclude(serial_pattern="")
            for code, text in query.order_by("code").values_list("code", "serial_pattern"):
                try:
                    pattern = SerialPattern.parse(text)
                except PatternError:
                    continue
                if pattern.check_algorithm and pattern.literal_length >= MIN_CLAIM_LITERAL:
                    self._others.append((code, pattern))
            if self._others:
                alternatives = "|".join(f"(?:{p.regex()})" for _c, p in self._others)
                self._any_other = re.compile(alternatives)
        if self._any_other is None or self._any_other.fullmatch(serial) is None:
            return []
        return [(c, p) for c, p in self._others if c != sku.code and p.is_own_serial(serial)]


def _same_gtin(a: str, b: str | None) -> bool:
    if not b:
        return False
    try:
        return a == normalize_gtin(b)
    except ValueError:
        return a == b


def _code_problem(code: ScannedCode, sku: SKU | None, lookups: _Lookups) -> str | None:
    """Why the serial of a scanned code cannot be registered under ``sku``, if it cannot."""
    scan = code.scan
    args = {"line": code.line, "code": code.shown, "sku": sku.code if sku else ""}
    if scan.errors:
        args["errors"] = "; ".join(scan.errors)
        return _("line %(line)d: %(code)s is not a valid code: %(errors)s") % args
    if scan.kind == "ma_code":
        return (
            _(
                "line %(line)d: %(code)s is an MA code (IDcode); its product cannot be checked "
                "against SKU %(sku)s, so enter the serial itself"
            )
            % args
        )
    if not scan.serial:
        return _("line %(line)d: %(code)s has no serial number (21)") % args
    if scan.kind == "plain" or sku is None:
        return None  # a bare serial behind a symbology prefix; or the SKU error is reported
    if not scan.gtin:
        return _("line %(line)d: %(code)s has no GTIN (01) to check against SKU %(sku)s") % args
    if _same_gtin(scan.gtin, sku.gtin):
        return None
    args.update(gtin=scan.gtin, expected=sku.gtin or "")
    if sku.gtin:
        message = _("line %(line)d: %(code)s is for GTIN %(gtin)s, not SKU %(sku)s (%(expected)s)")
    else:
        message = _("line %(line)d: %(code)s is for GTIN %(gtin)s, but SKU %(sku)s has no GTIN")
    owner = lookups.sku_code_for_gtin(scan.gtin)
    if owner:
        return _("%(message)s; GTIN %(gtin)s is SKU %(owner)s") % {
            "message": message % args,
            "gtin": scan.gtin,
            "owner": owner,
        }
    return message % args


def _rule_problem(serial: str, sku: SKU, rules: _Rules) -> None:
    """Raise :class:`SerialFormatError` if the SKU's rule, or another SKU's, refuses ``serial``."""
    pattern = rules.of(sku)
    if pattern is not None:
        if sku.enforce_pattern:
            pattern.matches(serial)
            return
        if pattern.shape.fullmatch(serial) is not None:
            pattern.check_claimed(serial)
            return  # of this SKU's own form: not another SKU's
    owners = rules.owners(serial, sku)
    if owners:
        raise SerialFormatError(
            "other_sku",
            _(
                "'%(serial)s' is a serial of SKU %(owners)s (it fits rule %(rule)s, check "
                "character included), not of %(sku)s: register it under the right SKU"
            )
            % {
                "serial": serial,
                "owners": ", ".join(code for code, _p in owners),
                "rule": owners[0][1].text,
                "sku": sku.code,
            },
        )


def validate_rows(
    rows: Iterable[tuple[int, dict[str, str]]],
    *,
    default_sku: SKU | None = None,
    default_batch: Batch | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[dict[int, list[tuple[int, NewUnit]]], list[RowError], int]:
    """Check every row; return the good units by SKU id, the errors, and the row count.

    Serial rules, for a SKU with one: with ``enforce_pattern`` every serial must fit it
    (:meth:`SerialPattern.matches`). Without, serials of another form pass (a supplier's
    may differ), but a serial of the rule's own form claims to be ours, so when the rule
    has a check character that character must be right and its date must exist
    (:meth:`SerialPattern.check_claimed`). With or without a rule, a serial that fits
    another SKU's distinctive rule completely (see the module docstring) is refused as
    that SKU's. Duplicates within the input are keyed by serial alone when
    ``UNITRACE_SERIAL_GLOBAL_UNIQUE`` is on, else by (SKU, serial).

    Rows of a pasted list may carry the :class:`ScannedCode` their serial was read from
    (under ``_CODE``): its errors are reported and its GTIN must be the SKU's.
    """
    # A million rows go through this loop, so lookups, parsed dates and serial rules are
    # cached. check_serial_text looks at length and characters, not at which digits a
    # serial has: once a serial passed, any serial of the same shape (digits read as 0)
    # passes too, and only new shapes are checked (with the exact message on failure).
    lookups = _Lookups()
    good: dict[int, list[tuple[int, NewUnit]]] = defaultdict(list)
    skus: dict[int, SKU] = {}
    errors: list[RowError] = []
    global_unique = settings.UNITRACE_SERIAL_GLOBAL_UNIQUE
    seen: dict[object, tuple[int, str]] = {}  # (SKU id, serial) or serial -> row, SKU code
    today = timezone.localdate()
    dates: dict[str, date | str] = {}  # text -> date, or why it is not one
    rules = _Rules()
    ok_shapes: dict[int, set[bytes]] = {}  # max length -> shapes check_serial_text passed
    count = 0
    for row_no, values in rows:
        count += 1
        row_errors: list[RowError] = []
        get = values.get
        sku = default_sku
        sku_code = get("sku", "").strip()
        if sku_code:
            sku = lookups.sku(sku_code)
            if sku is None:
                row_errors.append(
                    RowError(
                        row_no,
                        field="sku",
                        code="unknown_sku",
                        message=_("unknown SKU '%(code)s'") % {"code": sku_code},
                        value=sku_code,
                    )
                )
        elif sku is None:
            row_errors.append(
                RowError(
                    row_no, field="sku", code="missing", message=_("the SKU is missing"), value=""
                )
            )
        if sku is not None and not sku.serialized:
            row_errors.append(
                RowError(
                    row_no,
                    field="sku",
                    code="not_serialized",
                    message=_("SKU %(code)s is not serialized") % {"code": sku.code},
                    value=sku.code,
                )
            )
            sku = None
        serial = get("serial", "")
        code = get(_CODE)
        problem = _code_problem(code, sku, lookups) if isinstance(code, ScannedCode) else None
        if problem is not None:
            row_errors.append(
                RowError(
                    row_no, field="serial", code="unreadable", message=problem, value=code.shown
                )
            )
        max_length = sku.serial_max_length if sku is not None else 40
        try:
            shapes = ok_shapes.get(max_length)
            if shapes is None:
                shapes = ok_shapes[max_length] = set()
            shape = serial.encode("utf-8", "surrogatepass").translate(_DIGITS_AS_ZERO)
            if problem is None and shape not in shapes:
                check_serial_text(serial, max_length)
                if len(shapes) < 10_000:
                    shapes.add(shape)
            if problem is None and sku is not None:
                _rule_problem(serial, sku, rules)
        except SerialFormatError as exc:
            row_errors.append(
                RowError(row_no, field="serial", code=exc.code, message=exc.message, value=serial)
            )
        batch = default_batch
        batch_code = get("batch", "").strip()
        if batch_code and sku is not None:
            batch = lookups.batch(sku, batch_code)
            if batch is None:
                row_errors.append(
                    RowError(
                        row_no,
                        field="batch",
                        code="unknown_batch",
                        message=_("unknown batch '%(batch)s' for SKU %(sku)s")
                        % {"batch": batch_code, "sku": sku.code},
                        value=batch_code,
                    )
                )
        if batch is not None and sku is not None and batch.sku_id != sku.pk:
            row_errors.append(
                RowError(
                    row_no,
                    field="batch",
                    code="wrong_batch",
                    message=_("batch %(batch)s belongs to another SKU") % {"batch": batch.code},
                    value=batch.code,
                )
            )
        production_date = None
        date_text = get("production_date")
        if date_text:
            parsed = dates.get(date_text)
            if parsed is None:
                try:
                    parsed = parse_day(date_text, today=today, loose=True, not_before_year=1990)
                except ValueError as exc:
                    parsed = str(exc)
                dates[date_text] = parsed
            if isinstance(parsed, str):
                row_errors.append(
                    RowError(
                        row_no,
                        field="production_date",
                        code="invalid_date",
                        message=parsed,
                        value=date_text,
                    )
                )
            else:
                production_date = parsed
        elif batch is not None:
            production_date = batch.production_date
        supplier_serial = get("supplier_serial", "").strip()
        if len(supplier_serial) > 64:
            row_errors.append(
                RowError(
                    row_no,
                    field="supplier_serial",
                    code="too_long",
                    message=_("longer than 64 characters"),
                    value=supplier_serial,
                )
            )
        if row_errors:
            errors.extend(row_errors)
        elif sku is not None:
            # letter case does not make a serial new: scanning reads PB1 and pb1 as one
            key = serial.upper() if global_unique else (sku.pk, serial.upper())
            first = seen.get(key)
            if first is not None and first[1] == sku.code:
                errors.append(
                    RowError(
                        row_no,
                        field="serial",
                        code="duplicate",
                        message=_("duplicate of row %(row)d in this file") % {"row": first[0]},
                        value=serial,
                    )
                )
            elif first is not None:
                errors.append(
                    RowError(
                        row_no,
                        field="serial",
                        code="duplicate",
                        message=_(
                            "row %(row)d (SKU %(sku)s) and row %(first)d (SKU %(first_sku)s) "
                            "have the same serial; serials are unique across all SKUs"
                        )
                        % {
                            "row": row_no,
                            "sku": sku.code,
                            "first": first[0],
                            "first_sku": first[1],
                        },
                        value=serial,
                    )
                )
            else:
                seen[key] = (row_no, sku.code)
                skus[sku.pk] = sku
                good[sku.pk].append(
                    (
                        row_no,
                        NewUnit(
                            serial,
                            supplier_serial,
                            batch.pk if batch else None,
                            production_date,
                        ),
                    )
                )
        if progress is not None and count % 5000 == 0:
            progress(count)
    errors.extend(_already_registered(good, skus))
    return good, errors, count


def _already_registered(
    good: dict[int, list[tuple[int, NewUnit]]], skus: dict[int, SKU]
) -> list[RowError]:
    """Rows whose serial exists in the database; removes them from ``good``."""
    errors: list[RowError] = []
    global_unique = settings.UNITRACE_SERIAL_GLOBAL_UNIQUE
    for sku_id, items in good.items():
        taken = registered_serials(
            [unit.serial for _row, unit in items], None if global_unique else sku_id
        )
        if not taken:
            continue
        kept = []
        for row_no, unit in items:
            if unit.serial in taken:
                errors.append(
                    RowError(
                        row_no,
                        field="serial",
                        code="already_registered",
                        message=_("already registered (SKU %(sku)s)") % {"sku": taken[unit.serial]},
                        value=unit.serial,
                    )
                )
            else:
                kept.append((row_no, unit))
        items[:] = kept
    del skus
    return errors


def register_rows(
    rows: Iterable[tuple[int, dict[str, str]]],
    *,
    mode: str = "all",
    default_sku: SKU | None = None,
    default_batch: Batch | None = None,
    warehouse=None,
    ref_type: str = "import",
    ref_id: str = "",
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Validate and register; all-or-nothing unless ``mode`` is ``valid-only``."""
    if mode not in MODES:
        raise ValueError(_("mode must be one of: %(modes)s") % {"modes": ", ".join(MODES)})
    # Progress counts rows: checking them is the first half of the work, writing the
    # valid ones the second, so the bar moves through both phases.
    checked = None if progress is None else (lambda n: progress(n // 2))
    good, errors, count = validate_rows(
        rows, default_sku=default_sku, default_batch=default_batch, progress=checked
    )
    result = ImportResult(mode=mode, rows=count, errors=sorted(errors, key=lambda e: e.row))
    if errors and mode == "all":
        raise ImportRefused(result)
    skus = {s.pk: s for s in SKU.objects.filter(pk__in=list(good))}
    valid = sum(len(items) for items in good.values()) or 1
    half = count // 2

    def written(base: int):
        if progress is None:
            return None
        return lambda n: progress(half + (base + n) * (count - half) // valid)

    try:
        with transaction.atomic():
            done = 0
            for sku_id, items in good.items():
                result.created += register_units(
                    skus[sku_id],
                    [unit for _row, unit in items],
                    warehouse=warehouse,
                    ref_type=ref_type,
                    ref_id=ref_id,
                    chunk=10_000,
                    progress=written(done),
                )
                done += len(items)
    except IntegrityError:
        # Someone registered one of these serials between our check and our insert.
        again = _already_registered(good, skus)
        result.created = 0
        result.errors = sorted([*errors, *again], key=lambda e: e.row)
        raise ImportRefused(result)
    if progress is not None:
        progress(count)
    return result


def import_file(data: bytes, filename: str, **kwargs) -> ImportResult:
    """A CSV/XLSX upload: read, validate, register (see ``register_rows``)."""
    required = [] if kwargs.get("default_sku") else ["sku"]
    try:
        table = read_table(data, filename, UNIT_IMPORT_ALIASES, ["serial", *required])
    except TableError as exc:
        result = ImportResult(mode=kwargs.get("mode", "all"))
        result.errors.append(
            RowError(1, field="file", code=exc.code, message=str(exc), value=filename)
        )
        raise ImportRefused(result)
    return register_rows(table.rows, **kwargs)


def import_serial_list(serials: list[str], **kwargs) -> ImportResult:
    """A pasted or scanned list (from ``rules.expand_pasted``): row = position in the list.

    A :class:`ScannedCode` registers its (21) serial once its GTIN is the SKU's (errors
    name the line of the pasted text); any other entry is the serial itself.
    """
    return register_rows(((i, _list_row(s)) for i, s in enumerate(serials, 1)), **kwargs)


def _list_row(item: str) -> dict[str, str]:
    if isinstance(item, ScannedCode):
        return {"serial": item.serial or "", _CODE: item}
    return {"serial": item}
