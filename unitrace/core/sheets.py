"""The one writer of the tables the application hands out (error reports, exports).

Every CSV or XLSX a user downloads and opens in Excel is written here, so a cell that
Excel would run as a formula cannot slip through one writer that forgot it (CSV/formula
injection, OWASP): a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is written with a leading apostrophe, which Excel and LibreOffice show
as text and do not evaluate. Numbers, dates and empty cells are written as they are;
the columns never change. ``read_cell`` undoes the apostrophe for code that reads a
report back (a job's status answer lists its first rows).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def safe_cell(value: Any) -> Any:
    """``value`` as it may go into a cell: text that Excel would evaluate is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return QUOTE + value
    return value


def read_cell(text: str) -> str:
    """A cell of a report written by ``csv_text`` as it was before quoting."""
    if text.startswith(QUOTE) and text[1:].startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell("" if v is None else v) for v in row]


def csv_text(header: Sequence[Any], rows: Iterable[Iterable[Any]]) -> str:
    """The table as CSV text (header first), every cell neutralized."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(safe_row(str(h) for h in header))
    for row in rows:
        writer.writerow(safe_row(row))
    return out.getvalue()


class CsvStream:
    """Writes a CSV row by row into a text file-like object (large exports in a job)."""

    def __init__(self, out: Any, header: Sequence[Any]) -> None:
        self._writer = csv.writer(out)
        self.rows = 0
        self._writer.writerow(safe_row(str(h) for h in header))

    def write(self, row: Iterable[Any]) -> None:
        self._writer.writerow(safe_row(row))
        self.rows += 1

    def close(self) -> None:
        """Nothing to finish: every row is written as it comes."""


class XlsxStream:
    """Writes an XLSX sheet row by row (openpyxl's write-only mode keeps rows out of
    memory); ``close`` writes the workbook into ``out``, a binary file-like object."""

    def __init__(self, out: Any, header: Sequence[Any], title: str = "") -> None:
        from openpyxl import Workbook

        self._out = out
        self._book = Workbook(write_only=True)
        self._sheet = self._book.create_sheet(title=(title or "Sheet1")[:31])
        self.rows = 0
        self._sheet.append(safe_row(str(h) for h in header))

    def write(self, row: Iterable[Any]) -> None:
        self._sheet.append(safe_row(row))
        self.rows += 1

    def close(self) -> None:
        self._book.save(self._out)


def xlsx_bytes(header: Sequence[Any], rows: Iterable[Iterable[Any]], title: str = "") -> bytes:
    """The table as an XLSX workbook of one sheet (write-only, so it streams)."""
    out = io.BytesIO()
    stream = XlsxStream(out, header, title)
    for row in rows:
        stream.write(row)
    stream.close()
    return out.getvalue()
