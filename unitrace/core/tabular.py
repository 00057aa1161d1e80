"""Reading uploaded tables (CSV or XLSX, typically exported from Excel on Chinese Windows).

Everything comes back as stripped strings keyed by canonical column names, so importers
validate one representation whatever the file looked like:

- CSV: UTF-8 (with or without BOM), GB18030/GBK (Excel's "CSV" on Chinese Windows) and
  UTF-16 (Excel's "Unicode text", tab separated); comma, tab or semicolon, whichever splits
  the header into most columns. ``="00123"`` (Excel's keep-leading-zeros trick) is unwrapped.
- XLSX: the first sheet whose header has the required columns. Serials that Excel stored
  as numbers come back as digit strings ("1234", never "1234.0" or "1.2e+11"), dates as
  ``YYYY-MM-DD``. Legacy .xls and encrypted workbooks are refused with a hint.
- Cells are NFKC-normalized: full-width letters, digits and punctuation typed with a
  Chinese IME (``ＡＢ１２３``, ``２０２６－０１－１５``) and ideographic spaces come back as
  ASCII, so a serial or a date is read rather than refused. Columns that hold what people
  wrote as they wrote it (names, addresses) are passed as ``verbatim`` and kept.
- Headers are matched after NFKC (full-width to half-width), casefolding and removing
  spaces, ``_ - . * :``, so "Serial No.", "serial_no" and "ＳＮ" all work.
- Row numbers are what the user sees in Excel (the header is row 1 unless blank rows come
  first); fully blank rows are skipped without shifting the numbers.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, BinaryIO

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from unitrace.core.errors import DomainError
from unitrace.core.text import has_forbidden

# Canonical column -> header texts users write (matching ignores case, width and spacing).
# fmt: off
UNIT_IMPORT_ALIASES: dict[str, list[str]] = {
    "sku": ["sku", "model", "item code", "part number", "p/n", "型号", "产品型号", "规格型号",
            "物料编码", "物料号", "料号", "产品编码", "商品编码"],
    "serial": ["serial", "sn", "s/n", "serial number", "serial no", "序列号", "产品序列号",
               "整机序列号", "设备序列号", "SN码", "SN号", "机身号", "机身编号", "出厂编号"],
    "batch": ["batch", "lot", "batch number", "batch no", "lot number", "lot no", "批次",
              "批号", "批次号", "生产批号", "生产批次"],
    "supplier_serial": ["supplier serial", "vendor serial", "supplier sn", "供应商序列号",
                        "供应商SN", "厂家序列号", "原厂SN", "原厂序列号"],
    "production_date": ["production date", "manufacture date", "manufacturing date",
                        "mfg date", "生产日期", "制造日期", "出厂日期"],
    "notes": ["notes", "note", "remark", "remarks", "comment", "comments", "备注", "说明"],
}
# fmt: on

_DELIMITERS = (",", "\t", ";")  # preference on ties
_HEADER_NOISE = re.compile(r"[\s_\-.*:]+")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
RawRows = Iterator[tuple[int, list[str]]]


class TableError(DomainError, ValueError):
    """The upload cannot be read as a table; the message tells the user what to fix."""

    code = "unreadable_file"


@dataclass
class Table:
    """A whole upload: ``rows`` are (Excel row number, {canonical column: text})."""

    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]
    ignored_columns: list[str] = field(default_factory=list)
    header_row: int = 1


class TableReader:
    """Rows of an upload, streamed: the header is checked when the reader is created.

    ``columns`` are the canonical names found (file order), ``ignored_columns`` the other
    headers as written; each row dict has exactly ``columns`` as keys.
    """

    def __init__(
        self,
        data: bytes,
        filename: str,
        aliases: dict[str, list[str]],
        required: list[str],
        verbatim: Collection[str] = (),
    ) -> None:
        self.verbatim = frozenset(verbatim)
        lookup = _alias_lookup(aliases)
        first_error: TableError | None = None
        sources = _sources(data, filename)
        for label, open_rows in sources:
            rows = open_rows()
            try:
                if not self._take_header(rows, lookup, aliases, required):
                    continue
            except TableError as exc:
                msg = str(exc)
                if len(sources) > 1:
                    msg = _("Sheet '%(sheet)s', %(msg)s") % {
                        "sheet": label,
                        "msg": msg[:1].lower() + msg[1:],
                    }
                first_error = first_error or TableError(msg)
                continue
            self._rows = rows
            return
        raise first_error or TableError(_("The file is empty."))

    def _take_header(
        self,
        rows: RawRows,
        lookup: dict[str, str],
        aliases: dict[str, list[str]],
        required: list[str],
    ) -> bool:
        """Map the first non-blank row; False if there is none."""
        found = next(((n, c) for n, c in rows if any(x.strip() for x in c)), None)
        if found is None:
            return False
        number, cells = found
        self.header_row = number
        self.header_cells = [c.strip() for c in cells]
        self.columns: list[str] = []
        self.ignored_columns: list[str] = []
        self._index: list[tuple[str, int]] = []
        seen: dict[str, int] = {}
        for i, text in enumerate(cells):
            name = lookup.get(_norm(text))
            if name is None:
                if text.strip():
                    self.ignored_columns.append(text.strip())
            elif name in seen:
                j = seen[name]
                raise TableError(
                    _(
                        "Row %(row)d: columns %(a)s ('%(ha)s') and %(b)s ('%(hb)s') both mean "
                        "'%(name)s'; keep only one."
                    )
                    % {
                        "row": number,
                        "a": get_column_letter(j + 1),
                        "ha": cells[j].strip(),
                        "b": get_column_letter(i + 1),
                        "hb": text.strip(),
                        "name": name,
                    }
                )
            else:
                seen[name] = i
                self.columns.append(name)
                self._index.append((name, i))
        missing = [name for name in required if name not in seen]
        if missing:
            accepted = "; ".join(f"{m}: {', '.join(aliases.get(m, [m]))}" for m in missing)
            found = ", ".join(c.strip() for c in cells if c.strip())
            raise TableError(
                _(
                    "Row %(row)d: no %(names)s column; found columns: %(found)s (accepted "
                    "headers: %(accepted)s)."
                )
                % {
                    "row": number,
                    "names": ", ".join(f"'{m}'" for m in missing),
                    "found": found,
                    "accepted": accepted,
                }
            )
        return True

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        index = [(name, i, name not in self.verbatim) for name, i in self._index]
        for number, cells in self._rows:
            if not "".join(cells).strip():
                continue
            width = len(cells)
            values = {}
            for name, i, fold in index:
                v = cells[i] if i < width else ""
                if fold and not v.isascii():
                    v = unicodedata.normalize("NFKC", v)
                v = v.strip()
                if v[:2] == '="' and v[-1:] == '"':
                    v = v[2:-1].strip()
                values[name] = v
            if has_forbidden("".join(values.values())):
                column = next(name for name, v in values.items() if has_forbidden(v))
                raise TableError(
                    _(
                        "Row %(row)d, column %(column)s: control characters (such as NUL) "
                        "are not allowed."
                    )
                    % {"row": number, "column": column}
                )
            yield number, values

    def raw_rows(self) -> RawRows:
        """The remaining rows as written (every column, no normalization): for an error
        report that repeats a refused row beside its message."""
        return self._rows


def iter_table(
    data: bytes,
    filename: str,
    aliases: dict[str, list[str]],
    required: list[str],
    verbatim: Collection[str] = (),
) -> TableReader:
    """Stream rows (for imports of up to a million rows); header errors raise right away."""
    return TableReader(data, filename, aliases, required, verbatim)


def read_table(
    data: bytes,
    filename: str,
    aliases: dict[str, list[str]],
    required: list[str],
    verbatim: Collection[str] = (),
) -> Table:
    """The whole table in memory (previews, small uploads)."""
    reader = TableReader(data, filename, aliases, required, verbatim)
    return Table(reader.columns, list(reader), reader.ignored_columns, reader.header_row)


@dataclass
class OriginalRows:
    """Rows of an upload as the user wrote them, by Excel row number, with the header."""

    header: list[str]
    rows: dict[int, list[str]]


def original_rows(
    data: bytes,
    filename: str,
    numbers: Collection[int],
    aliases: dict[str, list[str]] | None = None,
    required: list[str] | None = None,
) -> OriginalRows | None:
    """The rows ``numbers`` of an upload exactly as written (every column), or None when
    the file cannot be read as a table.

    The sheet is the one the import read: the first whose header has ``required`` of
    ``aliases`` (by default the unit columns with a serial, which every unit, ASN and
    receiving file has), else the first sheet with a header at all. One pass over the
    file keeps only the rows asked for, so a report of a large import stays small.
    """
    wanted = set(numbers)
    attempts = [(aliases or UNIT_IMPORT_ALIASES, ["serial"] if required is None else required)]
    attempts.append(({}, []))
    for names, needed in attempts:
        try:
            reader = TableReader(data, filename, names, needed)
        except TableError:
            continue
        found: dict[int, list[str]] = {}
        if wanted:
            for number, cells in reader.raw_rows():
                if number in wanted:
                    found[number] = list(cells)
                    if len(found) == len(wanted):
                        break
        return OriginalRows(reader.header_cells, found)
    return None


def _norm(header: str) -> str:
    return _HEADER_NOISE.sub("", unicodedata.normalize("NFKC", header).casefold())


def _alias_lookup(aliases: dict[str, list[str]]) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for name, texts in aliases.items():
        for text in [name, *texts]:
            key = _norm(text)
            if lookup.setdefault(key, name) != name:
                raise ValueError(f"header {text!r} is an alias of both {lookup[key]} and {name}")
    return lookup


def _sources(data: bytes, filename: str) -> list[tuple[str, Callable[[], RawRows]]]:
    """(label, row-iterator factory) for each candidate sheet: one for CSV, one per sheet."""
    if not data.strip(b" \t\r\n\x00" + codecs.BOM_UTF8 + b"\xff\xfe"):
        raise TableError(_("The file is empty."))
    if data.startswith(_OLE2):
        raise TableError(
            _(
                "'%(name)s' is an old Excel .xls file or a password-protected workbook; save it "
                "as .xlsx without a password, or as CSV."
            )
            % {"name": filename}
        )
    if data.startswith(b"PK\x03\x04"):
        return _xlsx_sources(data, filename)
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise TableError(
            _("'%(name)s' is named like an Excel file but is not one.") % {"name": filename}
        )
    text = _decode(data)
    return [(filename, lambda: _csv_rows(text))]


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        candidates: tuple[str, ...] = ("utf-8-sig",)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ("utf-16",)
    elif b"\x00" in data[:4096]:
        head = data[:4096]
        even, odd = head[0::2].count(0), head[1::2].count(0)
        candidates = ("utf-16-le",) if odd > len(head) // 4 and not even else ()
        candidates = ("utf-16-be",) if even > len(head) // 4 and not odd else candidates
    else:
        candidates = ("utf-8", "gb18030")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        sample = text[:20000]
        controls = sum(
            1 for c in sample if c not in "\t\r\n" and unicodedata.category(c) in ("Cc", "Co", "Cn")
        )
        if controls <= len(sample) // 100:
            return text
    raise TableError(_("The file is neither CSV nor XLSX (or the CSV is in an unknown encoding)."))


def _csv_rows(text: str) -> RawRows:
    head = text[:65536].splitlines()[:20]
    first = next((line for line in head if line.strip()), "")
    delimiter = max(_DELIMITERS, key=lambda d: len(next(csv.reader([first], delimiter=d))))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from enumerate(reader, 1)
    except csv.Error as exc:
        raise TableError(
            _("Row %(row)d: the CSV is malformed (%(error)s).")
            % {"row": reader.line_num, "error": exc}
        )


class TableTooLarge(TableError):
    code = "file_too_large"
    status = 413


_RATIO_FLOOR = 1024 * 1024  # members smaller than this unzip to little whatever the ratio


def check_xlsx_size(data: bytes | BinaryIO, filename: str) -> None:
    """Refuse a workbook that unzips to more than the settings allow (a "zip bomb").

    Reads only the zip's directory: each member's declared sizes. They can be trusted as
    an upper bound because ``zipfile`` never inflates a member past its declared size (it
    stops and reports a damaged file), so what openpyxl reads afterwards is bounded too.
    """
    cap = int(settings.UNITRACE_XLSX_MAX_EXPANDED_BYTES)
    max_ratio = int(settings.UNITRACE_XLSX_MAX_RATIO)
    source = io.BytesIO(data) if isinstance(data, bytes) else data
    start = source.tell()
    try:
        members = zipfile.ZipFile(source).infolist()
        size = source.seek(0, io.SEEK_END) - start
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # unreadable: openpyxl says so with its own message
    finally:
        source.seek(start)
    total = sum(m.file_size for m in members)
    worst = max(
        (m.file_size / max(m.compress_size, 1) for m in members if m.file_size > _RATIO_FLOOR),
        default=0,
    )
    if total > cap or worst > max_ratio:
        raise TableTooLarge(
            _(
                "'%(name)s' unpacks to %(size)s (%(ratio)d times its size); at most "
                "%(max)s and %(max_ratio)d times are accepted. Save the sheet as CSV or "
                "split it into smaller files."
            )
            % {
                "name": filename,
                "size": filesizeformat(total),
                "ratio": int(total / max(size, 1)),
                "max": filesizeformat(cap),
                "max_ratio": max_ratio,
            },
            field="file",
        )


def count_rows(data: bytes, filename: str) -> int:
    """Rows in an upload, cheaply and at most over-counted: to choose "job or not".

    CSV: its line breaks. XLSX: the ``<row`` elements of every worksheet, read from the
    zip in chunks without parsing (after ``check_xlsx_size``, so the reading is bounded).
    """
    if not data.startswith(b"PK\x03\x04"):
        return data.count(b"\n") + (not data.endswith(b"\n"))
    check_xlsx_size(data, filename)
    rows = 0
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        for member in archive.infolist():
            if not member.filename.startswith("xl/worksheets/"):
                continue
            with archive.open(member) as stream:
                tail = b""
                while chunk := stream.read(1 << 20):
                    block = tail + chunk
                    rows += block.count(b"<row ") + block.count(b"<row>")
                    tail = block[-4:]  # a 5-byte match never lies within it alone
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return 0  # damaged: reading it fails fast, inside the request
    return rows


def runs_in_request(data: bytes, filename: str) -> bool:
    """Whether an import of this upload is small enough to run inside the request."""
    return count_rows(data, filename) <= int(settings.UNITRACE_SYNC_IMPORT_ROWS)


def _xlsx_sources(data: bytes, filename: str) -> list[tuple[str, Callable[[], RawRows]]]:
    from openpyxl import load_workbook

    check_xlsx_size(data, filename)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # zipfile, XML and openpyxl errors alike: unreadable
        raise TableError(
            _("'%(name)s' could not be opened as an Excel workbook; it may be damaged (%(error)s).")
            % {"name": filename, "error": type(exc).__name__}
        )
    if not wb.worksheets:
        raise TableError(_("XLSX has no sheets."))

    def rows_of(ws: Any) -> Callable[[], RawRows]:
        def rows() -> RawRows:
            ws.reset_dimensions()  # some writers store a wrong size; read what is there
            for number, values in enumerate(ws.iter_rows(min_row=1, values_only=True), 1):
                yield number, [_cell_text(v) for v in values]

        return rows

    return [(ws.title, rows_of(ws)) for ws in wb.worksheets]


def _cell_text(value: object) -> str:
    """Excel's value as the user meant it: serials stored as numbers stay digit strings."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value).strip()
