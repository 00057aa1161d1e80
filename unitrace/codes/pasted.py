"""Pasted and scanned lists: tokens, ranges expanded, barcodes' data kept whole.

A token that is a barcode's data (GS1 element string with symbology prefix or GS
separators, bracketed GS1 text, Digital Link URI, MA code) comes back whole as a
:class:`ScannedCode`; whoever registers it takes its (21) serial and checks its (01)
GTIN against the SKU (``serials.importing.import_serial_list`` does).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.translation import gettext as _

from unitrace.codes.gs1 import ScanResult, may_be_code, parse_scan
from unitrace.codes.ranges import RangeError, analyse_range, expand_range


class ScannedCode(str):
    """A pasted or scanned token that is a barcode's data, not a bare serial.

    The text is the code as scanned (callers may show it or parse it again); ``scan`` is
    :func:`~unitrace.codes.gs1.parse_scan`'s reading, ``line`` the 1-based line of the
    pasted text. Registering it means taking ``serial`` (GS1 (21)) and checking ``gtin``
    (GS1 (01)) against the SKU, never registering the text itself.
    """

    scan: ScanResult
    line: int

    def __new__(cls, text: str, scan: ScanResult, line: int = 1) -> ScannedCode:
        code = super().__new__(cls, text)
        code.scan = scan
        code.line = line
        return code

    def __reduce__(self):
        return (ScannedCode, (str(self), self.scan, self.line))

    @property
    def serial(self) -> str | None:
        return self.scan.serial

    @property
    def gtin(self) -> str | None:
        return self.scan.gtin

    @property
    def shown(self) -> str:
        """The text with group separators written as ``<GS>``, for messages."""
        return str(self).replace("\x1d", "<GS>")


_CODE_KINDS = frozenset({"gs1", "digital_link", "ma_code"})


def scanned_code(text: str, line: int = 1) -> ScannedCode | None:
    """``text`` as a :class:`ScannedCode` if it is a barcode's data, else None (a serial).

    Barcode data: a GS1 code (element string, bracketed text, Digital Link), an MA code,
    or anything behind a scanner's symbology prefix such as ``]Q1``.
    """
    if not may_be_code(text):
        return None
    scan = parse_scan(text)
    if scan.kind in _CODE_KINDS or scan.symbology is not None:
        return ScannedCode(text, scan, line)
    return None


def expand_pasted(
    text: str, max_count: int = 1_000_000, is_serial: Callable[[str], bool] | None = None
) -> list[str]:
    """:func:`split_pasted`, then ranges expanded and single serials kept.

    Scanned codes come back whole as :class:`ScannedCode` (never split, never read as a
    range); plain serials and expanded ranges as ``str``. Serials like ``2611-0005`` look
    like ranges; pass ``is_serial`` (e.g. the rule's :meth:`SerialPattern.matches` as a
    predicate) to keep such tokens whole.
    """
    out: list[str] = []
    for token in split_pasted(text):
        if is_serial is not None and is_serial(token):
            out.append(str(token))
        elif isinstance(token, ScannedCode):
            out.append(token)
        else:
            _pair, _err, looks = analyse_range(token)
            out.extend(expand_range(token, max_count) if looks else [token])
        if len(out) > max_count:
            raise RangeError(
                "range_too_big",
                _("Too many serials: at most %(max)d at a time.") % {"max": max_count},
            )
    return out


_JOIN_RE = re.compile(
    r"[ \u3000]*([~～—–－至到]+)[ \u3000]*|[ \u3000]+-[ \u3000]*|[ \u3000]*-[ \u3000]+"
)
# Not "\s": Python counts the GS1 group separator (0x1D) as whitespace, and str.splitlines()
# breaks lines at it; a GS1 element string must never be cut there.
_SEPARATORS = r"(?:[^\S\x1d]|[,，、;；\ufeff\u200b])+"
_SPLIT_RE = re.compile(_SEPARATORS)
_EDGES_RE = re.compile(f"^{_SEPARATORS}|{_SEPARATORS}$")
_LINE_RE = re.compile(r"\r\n|[\n\r\v\f\x85\u2028\u2029]")


def split_pasted(text: str) -> list[str]:
    """Tokens of a pasted or scanned list, in order; "A0001 - A0100" stays one token.

    Tokens that are scanned codes come as :class:`ScannedCode`. Spaces and commas
    separate tokens, but a line that reads as one valid code as a whole (bracketed text
    with spaces ``(01) 0690... (21) A``, or a (21) holding a comma) is one token; and a
    line with a broken code in it stays whole, so that its errors are reported rather
    than its pieces registered.
    """
    tokens = _plain_tokens(text)
    if not any(may_be_code(t) for t in tokens):
        return tokens  # the usual list of bare serials and ranges: no line-by-line work
    tokens = []
    for number, line in enumerate(_LINE_RE.split(text), 1):
        tokens.extend(_line_tokens(line, number))
    return tokens


def _plain_tokens(text: str) -> list[str]:
    return [t for t in _SPLIT_RE.split(_JOIN_RE.sub(lambda m: m.group(1) or "-", text)) if t]


def _line_tokens(line: str, number: int) -> list[str]:
    parts = _plain_tokens(line)
    codes = [scanned_code(t, number) for t in parts]
    if len(parts) > 1:
        whole = scanned_code(_EDGES_RE.sub("", line), number)
        broken = any(c is not None and not c.scan.ok for c in codes)
        if whole is not None and (whole.scan.ok or broken):
            return [whole]
    return [c if c is not None else t for c, t in zip(codes, parts, strict=True)]
