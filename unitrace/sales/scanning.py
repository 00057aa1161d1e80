"""What a clerk hands a delivery or return: scanned codes, a pasted list, ranges, a file.

Everything becomes ``ScanRow``s (row = position in the list, or the Excel row), so one
checker produces one kind of row-by-row error list whatever the input was.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from unitrace.codes.pasted import expand_pasted
from unitrace.codes.serial_text import SerialFormatError
from unitrace.core.errors import DomainError, RowError
from unitrace.core.tabular import UNIT_IMPORT_ALIASES, TableError, read_table
from unitrace.serials.resolver import Reason
from unitrace.serials.resolver import read_code as parse_code

MAX_UNITS = 100_000


@dataclass(frozen=True)
class ScanRow:
    row: int
    code: str
    sku: str = ""  # SKU code, when a file names it


class InputRefused(DomainError):
    """Refused as a whole or row by row; nothing was written."""

    code = "input_refused"

    def __init__(self, message: str, rows: list[RowError] | None = None):
        super().__init__(message, rows=sorted(rows or [], key=lambda e: e.row or 0))


def rows_from_text(text: str) -> list[ScanRow]:
    """A pasted or scanned list; ranges like A0001-A0100 expand."""
    try:
        codes = expand_pasted(text, max_count=MAX_UNITS)
    except SerialFormatError as exc:
        raise InputRefused(exc.message)
    return [ScanRow(i, code) for i, code in enumerate(codes, 1)]


def rows_from_list(codes: list[str]) -> list[ScanRow]:
    """An API list: each entry a serial, a GS1 code or a range."""
    return rows_from_text("\n".join(str(c) for c in codes))


def rows_from_file(data: bytes, filename: str) -> list[ScanRow]:
    """A CSV/XLSX with a serial column (序列号, SN...) and optionally a SKU column."""
    try:
        table = read_table(data, filename, UNIT_IMPORT_ALIASES, ["serial"])
    except TableError as exc:
        raise InputRefused(str(exc))
    if len(table.rows) > MAX_UNITS:
        raise InputRefused(_("Too many serials: at most %(max)d at a time.") % {"max": MAX_UNITS})
    return [ScanRow(n, v.get("serial", ""), v.get("sku", "")) for n, v in table.rows]


def _looks_coded(code: str) -> bool:
    return "://" in code or code.startswith(("(", "]")) or "\x1d" in code


def read_code(code: str) -> tuple[str, str | None, str | None]:
    """(serial, GTIN or None, error or None) for one scanned code."""
    code = code.strip()
    if not code:
        return "", None, _("empty")
    if not _looks_coded(code):
        return code, None, None
    parsed = parse_code(code)
    if parsed.problem == Reason.UNREADABLE:
        return "", None, parsed.message
    if not parsed.serial:
        return "", None, _("the code names no serial number")
    return parsed.serial, parsed.gtin, None
