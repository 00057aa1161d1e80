"""Checking a bulk receipt row by row before anything is written.

The same rules as one scan (``matching``, ``feedback``), plus what only a list can get
wrong: the same serial twice in it, and more units than the lines still miss, counted
row by row in file order so the report names exactly the rows beyond the quantity.
As for one scan, suspects (off the supplier's list) do not count against the quantity,
but are refused once the rows before them have filled their line.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models.functions import Upper
from django.utils.translation import gettext as _

from unitrace.catalog.models import SKU
from unitrace.core.errors import RowError
from unitrace.procurement.feedback import (
    duplicate_message,
    over_message,
    registered_message,
    spelled,
)
from unitrace.procurement.matching import (
    Code,
    OrderLines,
    Outcome,
    Refused,
    Target,
    asn_rows,
)
from unitrace.procurement.models import Receipt
from unitrace.procurement.sql import LIST_CHUNK, as_rows
from unitrace.serials.models import Unit
from unitrace.serials.statuses import EventType, refusal

Item = tuple[int, Code | Refused, SKU | None]


def units_by_serial(serials: list[str]) -> dict[str, list[tuple[int, int, str]]]:
    """Existing units for these serials: serial -> [(unit id, SKU id, status)]."""
    found: dict[str, list[tuple[int, int, str]]] = {}
    wanted = list(dict.fromkeys(serials))
    for start in range(0, len(wanted), LIST_CHUNK):
        query = Unit.objects.filter(serial__in=as_rows(wanted[start : start + LIST_CHUNK]))
        for pk, serial, sku_id, status in query.values_list("pk", "serial", "sku_id", "status"):
            found.setdefault(serial, []).append((pk, sku_id, status))
    return found


def case_variants_of(serials: list[str], known: dict) -> dict[str, list[tuple[int, int, str, str]]]:
    """Units registered under another letter case of serials not found as written:
    upper(serial) -> [(unit id, SKU id, status, registered serial)].

    The register holds one serial in any letter case (serials are GS1 characters, i.e.
    ASCII, so Python's and the database's upper() agree).
    """
    wanted = list(dict.fromkeys(s.upper() for s in serials if s not in known))
    found: dict[str, list[tuple[int, int, str, str]]] = {}
    for start in range(0, len(wanted), LIST_CHUNK):
        query = Unit.objects.annotate(serial_upper=Upper("serial")).filter(
            serial_upper__in=as_rows(wanted[start : start + LIST_CHUNK])
        )
        for row in query.values_list("serial_upper", "pk", "sku_id", "status", "serial"):
            found.setdefault(row[0], []).append(row[1:])
    return found


def check_rows(receipt: Receipt, lines: OrderLines, items: list[Item], default_sku: SKU | None):
    """Every row resolved and checked; returns (targets with unit ids, errors)."""
    serials = [code.serial for _r, code, _s in items if isinstance(code, Code)]
    listed = asn_rows(lines.order, serials)
    units = units_by_serial(serials)
    variants = case_variants_of(serials, units)
    seen: dict[tuple[int, str], int] = {}
    taken: dict[int, int] = {}
    global_unique = settings.UNITRACE_SERIAL_GLOBAL_UNIQUE
    planned: list[tuple[Target, int | None]] = []
    errors: list[RowError] = []
    for row_no, code, chosen in items:
        try:
            if isinstance(code, Refused):
                raise code
            target = lines.resolve(
                code,
                listed.get(code.serial, []),
                chosen=chosen or default_sku,
                unit_skus=lambda s: [sku_id for _pk, sku_id, _st in units.get(s, [])],
            )
            line, sku = target.line, target.line.sku
            scanned = target.serial
            other_case = next(
                (v for v in variants.get(scanned.upper(), []) if v[1] == line.sku_id), None
            )
            if other_case is not None and not any(
                u[1] == line.sku_id for u in units.get(scanned, [])
            ):
                # that unit, as registered: checked and received under its own spelling
                target = Target(other_case[3], line, target.asn)
                same = units.setdefault(target.serial, [])
                if other_case[:3] not in same:
                    same.append(other_case[:3])
            key = (line.sku_id, target.serial)
            first = seen.setdefault(key, row_no)
            if first != row_no:
                raise Refused(
                    Outcome.DUPLICATE,
                    _("duplicate of row %(row)d in this list") % {"row": first},
                    serial=target.serial,
                )
            unit = next((u for u in units.get(target.serial, []) if u[1] == line.sku_id), None)
            if (unit is not None and refusal(EventType.RECEIVED, unit[2])) or (
                target.asn is not None and target.asn.receipt_id is not None
            ):
                raise Refused(
                    Outcome.DUPLICATE,
                    duplicate_message(
                        receipt,
                        unit[0] if unit else None,
                        target.serial,
                        unit[2] if unit else None,
                    ),
                    serial=target.serial,
                )
            if unit is None and global_unique and units.get(target.serial):
                other = lines.sku_code(units[target.serial][0][1])
                raise Refused(
                    Outcome.DUPLICATE,
                    registered_message(target.serial, other),
                    serial=target.serial,
                )
            suspect = lines.has_asn and target.asn is None
            genuine = taken.get(line.pk, 0) + (0 if suspect else 1)
            if line.received_quantity + genuine > line.quantity or (
                suspect and line.received_quantity + genuine >= line.quantity
            ):
                raise Refused(
                    Outcome.OVER_QUANTITY,
                    over_message(sku.code, line.quantity, target.serial),
                    serial=target.serial,
                )
            taken[line.pk] = genuine
            planned.append((target, unit[0] if unit else None))
        except Refused as refused:
            value = refused.serial or (code.serial if isinstance(code, Code) else "")
            scanned = code.serial if isinstance(code, Code) else ""
            errors.append(
                RowError(
                    row_no,
                    field="serial",
                    code=refused.outcome,
                    message=spelled(scanned, refused.serial, refused.message),
                    value=value,
                )
            )
    return planned, errors
