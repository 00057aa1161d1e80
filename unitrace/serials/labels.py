"""Printable labels: a QR code per unit, its serial in text, optionally a Code 128.

This module lays the labels out; what a label carries besides the unit's serial and
SKU — the URL in its QR code and the printed verification code — is decided above
serials by whoever prints (``authenticity.labels``), and passed in as ``Label`` rows.

A label template is a size of label stock: A4 sheets of several labels (office laser
printers) or a roll of single labels (thermal printers, one PDF page or one ZPL
format per label). The PDFs embed a subset of the installed Chinese font
(``core.pdf_fonts``), so they print the same in every viewer. ZPL (Zebra and the many
compatible thermal printers) is written for roll templates only.

The optional Code 128 beside the QR carries the serial for 1D-only scanners; when the
serial is too long for the label's width at a bar a scanner still reads, the request is
refused with the reason rather than printed unreadable.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape
from typing import Any, BinaryIO, NamedTuple

import segno
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from unitrace.core.errors import DomainError
from unitrace.core.pdf_fonts import cjk_font

COLUMNS, ROWS = 3, 8
MAX_LABELS = 2000  # labels one request draws at once; more run as a background job
MIN_BAR = 0.17 * mm  # narrowest Code 128 bar a 203 dpi printer and a scanner manage


class Label(NamedTuple):
    """One label: the unit, the URL its QR code opens and the code printed under it."""

    unit: object
    url: str
    code: str


class LabelError(DomainError):
    code = "invalid_labels"
    default_message = gettext_lazy("These labels cannot be printed.")


@dataclass(frozen=True)
class LabelTemplate:
    """A label stock: the label's size, and for sheets the grid on an A4 page."""

    key: str
    title: Promise
    width: float  # one label, in points
    height: float
    columns: int = 1  # 1 × 1: a roll, one label per page
    rows: int = 1

    @property
    def sheet(self) -> bool:
        return self.columns * self.rows > 1

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    @property
    def page_size(self) -> tuple[float, float]:
        return A4 if self.sheet else (self.width, self.height)


TEMPLATES: dict[str, LabelTemplate] = {
    t.key: t
    for t in (
        LabelTemplate(
            "a4-3x8",
            gettext_lazy("A4 sheet, 3 × 8 labels (70 × 37 mm)"),
            A4[0] / 3,
            A4[1] / 8,
            3,
            8,
        ),
        LabelTemplate(
            "a4-4x10",
            gettext_lazy("A4 sheet, 4 × 10 labels (52.5 × 29.7 mm)"),
            A4[0] / 4,
            A4[1] / 10,
            4,
            10,
        ),
        LabelTemplate("roll-50x30", gettext_lazy("Thermal roll, 50 × 30 mm"), 50 * mm, 30 * mm),
        LabelTemplate("roll-70x40", gettext_lazy("Thermal roll, 70 × 40 mm"), 70 * mm, 40 * mm),
    )
}
DEFAULT_TEMPLATE = "a4-3x8"
FORMATS = ("pdf", "zpl")


def template_for(key: str) -> LabelTemplate:
    """The template named ``key``; a clear refusal for an unknown one."""
    try:
        return TEMPLATES[key]
    except KeyError:
        raise LabelError(
            _("Unknown label size %(key)s.") % {"key": key or "-"}, field="template"
        ) from None


@dataclass(frozen=True)
class _Box:
    """Where the parts of one label go, in points from the label's lower left corner.

    The QR and the text sit side by side above ``floor``; a Code 128 goes into the text
    column (``bar_x`` = ``text_x``) when the serial fits there, else across the label's
    full width below them (``floor`` raised by the strip).
    """

    pad: float
    qr: float  # side of the QR code
    floor: float  # bottom of the QR-and-text area
    text_x: float
    text_w: float
    big: float  # font sizes
    small: float
    bar: float = 0.0  # Code 128 bar width; 0 = no barcode
    bar_x: float = 0.0
    bar_w: float = 0.0
    bar_h: float = 0.0


def _code128_modules(serial: str) -> float:
    """The serial's Code 128 width in modules (narrowest bars), quiet zones excluded."""
    return Code128(serial, barWidth=1, humanReadable=False, quiet=0).width


def _too_long(serial: str) -> LabelError:
    return LabelError(
        _(
            "Serial %(serial)s is too long for a 1D barcode on this label size; "
            "choose a larger label or print without the 1D barcode."
        )
        % {"serial": serial},
        field="barcode",
    )


def _box(template: LabelTemplate, serial: str = "", bars: bool = False) -> _Box:
    w, h = template.width, template.height
    pad = min(3 * mm, h * 0.08)
    big = 10 if h >= 35 * mm else 8
    small = big - 2.5

    def side_by_side(floor: float) -> tuple[float, float, float]:
        qr = min(h - pad - floor, w * 0.48)
        text_x = pad + qr + 2 * mm
        return qr, text_x, w - text_x - pad

    qr, text_x, text_w = side_by_side(pad)
    if not bars:
        return _Box(pad, qr, pad, text_x, text_w, big, small)
    modules = _code128_modules(serial)
    text_height = 4 * big * 1.35  # the four lines of text
    beside_h = h - 2 * pad - text_height - 1 * mm
    if text_w / modules >= MIN_BAR and beside_h >= 4 * mm:
        bar = min(0.33 * mm, text_w / modules)
        return _Box(
            pad, qr, pad, text_x, text_w, big, small, bar, text_x, text_w, min(beside_h, 10 * mm)
        )
    full = w - 2 * pad
    if full / modules < MIN_BAR:
        raise _too_long(serial)
    strip = max(5 * mm, h * 0.2)
    floor = pad + strip + 1 * mm
    qr, text_x, text_w = side_by_side(floor)
    bar = min(0.33 * mm, full / modules)
    return _Box(pad, qr, floor, text_x, text_w, big, small, bar, pad, full, strip)


def _fit(text: str, font: str, size: float, width: float, pdf: canvas.Canvas) -> str:
    """``text`` cut (with …) to fit ``width`` in ``font`` at ``size``."""
    if pdf.stringWidth(text, font, size) <= width:
        return text
    while text and pdf.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _shrunk(text: str, font: str, size: float, width: float, pdf: canvas.Canvas) -> float:
    """The size (at most ``size``) at which ``text`` fits ``width``: a serial is never cut."""
    drawn = pdf.stringWidth(text, font, size)
    return size if drawn <= width else size * width / drawn


def _draw_label(
    pdf: canvas.Canvas,
    x0: float,
    y0: float,
    t: LabelTemplate,
    label: Label,
    fonts: tuple[str, str],
    bars: bool,
) -> None:
    font, mono = fonts
    unit, url, code = label
    box = _box(t, unit.serial, bars)
    qr = segno.make(url, error="m")
    modules = qr.symbol_size(border=0)[0]
    module = box.qr / modules
    qr_y = y0 + box.floor + (t.height - box.pad - box.floor - box.qr) / 2
    pdf.setFillColorRGB(0, 0, 0)
    path = pdf.beginPath()
    for r, row in enumerate(qr.matrix):
        for c, dark in enumerate(row):
            if dark:
                path.rect(
                    x0 + box.pad + c * module, qr_y + box.qr - (r + 1) * module, module, module
                )
    pdf.drawPath(path, stroke=0, fill=1)
    x, width = x0 + box.text_x, box.text_w
    line = box.big * 1.35
    y = y0 + t.height - box.pad - box.big
    pdf.setFont(font, box.small)
    pdf.drawString(x, y, _fit(unit.sku.code, font, box.small, width, pdf))
    y -= line
    pdf.setFont(mono, _shrunk(unit.serial, mono, box.big, width, pdf))
    pdf.drawString(x, y, unit.serial)
    y -= line
    pdf.setFont(font, box.small)
    pdf.drawString(x, y, _fit(unit.sku.name, font, box.small, width, pdf))
    y -= line
    # the printed code lets a customer verify by typing, without the QR
    code_label = _("Code")
    pdf.drawString(x, y, _fit(f"{code_label} {code}", font, box.small, width, pdf))
    if box.bar:
        barcode = Code128(
            unit.serial, barWidth=box.bar, barHeight=box.bar_h, humanReadable=False, quiet=0
        )
        barcode.drawOn(pdf, x0 + box.bar_x, y0 + box.pad)


def labels_pdf(
    labels: Iterable[Label],
    template: LabelTemplate | str = DEFAULT_TEMPLATE,
    *,
    barcode: bool = False,
    out: BinaryIO | None = None,
    progress: Callable[[int], Any] | None = None,
) -> bytes:
    """Labels as PDF on ``template`` (A4 sheets or a roll, one page per label).

    Written into ``out`` when given (a job's file; answers b""), else returned.
    ``progress(n)`` is called every 100 labels.
    """
    t = template_for(template) if isinstance(template, str) else template
    fonts = (cjk_font(), cjk_font(mono=True))
    buffer = out if out is not None else io.BytesIO()
    # every font used is embedded; reportlab's default (Helvetica) would not be
    pdf = canvas.Canvas(buffer, pagesize=t.page_size, pageCompression=1, initialFontName=fonts[0])
    pdf.setTitle(_("Labels"))
    page_w, page_h = t.page_size
    # sheets: the grid centred on the page
    left = (page_w - t.columns * t.width) / 2
    top = page_h - (page_h - t.rows * t.height) / 2
    count = 0
    for index, label in enumerate(labels):
        slot = index % t.per_page
        if index and slot == 0:
            pdf.showPage()
        x0 = left + (slot % t.columns) * t.width
        y0 = top - (slot // t.columns + 1) * t.height
        _draw_label(pdf, x0, y0, t, label, fonts, barcode)
        count = index + 1
        if progress is not None and count % 100 == 0:
            progress(count)
    if not count:
        raise LabelError(_("There are no labels to print."))
    pdf.showPage()
    pdf.save()
    return b"" if out is not None else buffer.getvalue()


# --- ZPL -------------------------------------------------------------------------------


def _zpl_text(value: str) -> str:
    """Field data for ``^FH\\^FD``: the characters ZPL reserves written as hex."""
    return "".join(f"\\{ord(ch):02X}" if ch in "^~\\" else ch for ch in value)


def _zpl_label(label: Label, t: LabelTemplate, bars: bool, dpmm: int) -> str:
    unit, url, code = label
    dots = dpmm / mm  # dots per point
    box = _box(t, unit.serial, bars)
    qr_modules = segno.make(url, error="m").symbol_size(border=0)[0]
    magnification = max(1, min(10, int(box.qr * dots) // qr_modules))
    qr_side = magnification * qr_modules
    pad = round(box.pad * dots)
    height = round(t.height * dots)
    floor = round(box.floor * dots)
    x = round(box.text_x * dots)
    text_w = round(box.text_w * dots)
    big, small = round(box.big * dots * 1.1), round(box.small * dots * 1.1)
    qr_top = pad + max((height - pad - floor - qr_side) // 2, 0)
    fields = [
        "^XA",
        "^CI28",  # field data is UTF-8
        f"^PW{round(t.width * dots)}",
        f"^LL{height}",
        "^LH0,0",
        # QR model 2; the field's "MA," = error level M, automatic input mode
        f"^FO{pad},{qr_top}^BQN,2,{magnification}^FH\\^FDMA,{_zpl_text(url)}^FS",
    ]
    y = pad
    for text, size in ((unit.sku.code, small), (unit.serial, big), (code, small)):
        fields.append(f"^FO{x},{y}^A0N,{size},{size}^FB{text_w},1,0,L^FH\\^FD{_zpl_text(text)}^FS")
        y += round(size * 1.3)
    if box.bar:
        modules = _code128_modules(unit.serial)
        bar_w = round(box.bar_w * dots)
        module = max(1, round(box.bar * dots))
        while module > 1 and module * modules > bar_w:
            module -= 1
        if module * modules > bar_w:
            raise _too_long(unit.serial)
        bar_h = round(box.bar_h * dots)
        fields.append(
            f"^FO{round(box.bar_x * dots)},{height - pad - bar_h}^BY{module}"
            f"^BCN,{bar_h},N,N,N^FH\\^FD{_zpl_text(unit.serial)}^FS"
        )
    fields.append("^XZ")
    return "\n".join(fields) + "\n"


def labels_zpl(
    labels: Iterable[Label],
    template: LabelTemplate | str,
    *,
    barcode: bool = False,
    dpmm: int = 8,
    out: BinaryIO | None = None,
    progress: Callable[[int], Any] | None = None,
) -> bytes:
    """One ZPL format (``^XA`` … ``^XZ``) per label for a roll template.

    ``dpmm`` is the printer's resolution in dots per millimetre (8 = 203 dpi,
    12 = 300 dpi). Text fields use the printer's built-in font 0, which has no Chinese,
    so the label's ZPL carries the SKU code, serial and verification code but not the
    SKU name. Written into ``out`` when given (answers b""), else returned.
    """
    t = template_for(template) if isinstance(template, str) else template
    if t.sheet:
        raise LabelError(_("ZPL is for thermal rolls; choose a roll label size."), field="template")
    if dpmm not in (8, 12):
        raise LabelError(_("The printer resolution is 8 or 12 dots per mm."), field="dpmm")
    buffer = out if out is not None else io.BytesIO()
    count = 0
    for count, label in enumerate(labels, start=1):
        buffer.write(_zpl_label(label, t, barcode, dpmm).encode("utf-8"))
        if progress is not None and count % 100 == 0:
            progress(count)
    if not count:
        raise LabelError(_("There are no labels to print."))
    return b"" if out is not None else buffer.getvalue()


def labels_svg(labels: Iterable[Label]) -> str:
    """One SVG sheet, labels in a 3-column grid; each QR is a nested <svg>."""
    cell_w, cell_h, qr_size = 240, 120, 100
    labels = list(labels)
    rows = (len(labels) + COLUMNS - 1) // COLUMNS
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{COLUMNS * cell_w}" '
        f'height="{max(rows, 1) * cell_h}" viewBox="0 0 {COLUMNS * cell_w} '
        f'{max(rows, 1) * cell_h}">'
    ]
    for index, (unit, url, code) in enumerate(labels):
        x, y = (index % COLUMNS) * cell_w, (index // COLUMNS) * cell_h
        qr = segno.make(url, error="m")
        scale = qr_size / qr.symbol_size(border=1)[0]
        inner = qr.svg_inline(scale=scale, border=1, omitsize=False)
        parts.append(f'<g transform="translate({x + 8},{y + 10})">{inner}</g>')
        parts.append(
            f'<text x="{x + qr_size + 16}" y="{y + 50}" font-family="monospace" '
            f'font-size="14" font-weight="bold">{escape(unit.serial)}</text>'
            f'<text x="{x + qr_size + 16}" y="{y + 70}" font-size="11">'
            f"{escape(unit.sku.code)}</text>"
            f'<text x="{x + qr_size + 16}" y="{y + 90}" font-family="monospace" '
            f'font-size="12">{escape(code)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
