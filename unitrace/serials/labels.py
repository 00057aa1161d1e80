"""Printable label sheets: a QR code per unit plus its serial in text.

The QR carries a GS1 Digital Link URI when the SKU has a GTIN (a phone opens the
product page, a GS1 scanner still reads GTIN and serial); otherwise the URL of the
unit's public page, which uses an unguessable token rather than the serial.
"""

from __future__ import annotations

import io
from html import escape

import segno
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from unitrace.authenticity.codes import format_code, signed_digital_link, verification_code

COLUMNS, ROWS = 3, 8
MAX_LABELS = 2000
_FONT = "STSong-Light"  # built-in CID font: Chinese text with no font file to ship


def label_url(unit) -> str:
    """Digital Link signed with ``?s=`` (a bare serial proves nothing), else the token URL."""
    return signed_digital_link(unit)


def _register_font() -> None:
    if _FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(_FONT))


def labels_pdf(units) -> bytes:
    """A4 sheets of 3 × 8 labels (70 × 37 mm, the common Chinese label stock)."""
    _register_font()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle("unitrace labels")
    width, height = A4
    cell_w, cell_h = width / COLUMNS, height / ROWS
    for index, unit in enumerate(units):
        if index and index % (COLUMNS * ROWS) == 0:
            pdf.showPage()
        slot = index % (COLUMNS * ROWS)
        x0 = (slot % COLUMNS) * cell_w
        y0 = height - (slot // COLUMNS + 1) * cell_h
        qr = segno.make(label_url(unit), error="m")
        size = cell_h - 8 * mm
        modules = qr.symbol_size(border=0)[0]
        module = size / modules
        pdf.setFillColorRGB(0, 0, 0)
        for r, row in enumerate(qr.matrix):
            for c, dark in enumerate(row):
                if dark:
                    pdf.rect(
                        x0 + 4 * mm + c * module,
                        y0 + 4 * mm + size - (r + 1) * module,
                        module,
                        module,
                        stroke=0,
                        fill=1,
                    )
        text_x = x0 + 6 * mm + size
        pdf.setFont(_FONT, 9)
        pdf.drawString(text_x, y0 + cell_h / 2 + 3 * mm, unit.sku.code[:24])
        pdf.setFont("Courier-Bold", 10)
        pdf.drawString(text_x, y0 + cell_h / 2 - 3 * mm, unit.serial)
        pdf.setFont(_FONT, 7)
        pdf.drawString(text_x, y0 + cell_h / 2 - 8 * mm, unit.sku.name[:16])
        # the printed code lets a customer verify by typing, without the QR
        pdf.drawString(text_x, y0 + cell_h / 2 - 13 * mm, _("Code"))
        pdf.setFont("Courier-Bold", 9)
        pdf.drawString(
            text_x + 9 * mm, y0 + cell_h / 2 - 13 * mm, format_code(verification_code(unit))
        )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def labels_svg(units) -> str:
    """One SVG sheet, labels in a 3-column grid; each QR is a nested <svg>."""
    cell_w, cell_h, qr_size = 240, 120, 100
    units = list(units)
    rows = (len(units) + COLUMNS - 1) // COLUMNS
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{COLUMNS * cell_w}" '
        f'height="{max(rows, 1) * cell_h}" viewBox="0 0 {COLUMNS * cell_w} '
        f'{max(rows, 1) * cell_h}">'
    ]
    for index, unit in enumerate(units):
        x, y = (index % COLUMNS) * cell_w, (index // COLUMNS) * cell_h
        qr = segno.make(label_url(unit), error="m")
        scale = qr_size / qr.symbol_size(border=1)[0]
        inner = qr.svg_inline(scale=scale, border=1, omitsize=False)
        parts.append(f'<g transform="translate({x + 8},{y + 10})">{inner}</g>')
        parts.append(
            f'<text x="{x + qr_size + 16}" y="{y + 50}" font-family="monospace" '
            f'font-size="14" font-weight="bold">{escape(unit.serial)}</text>'
            f'<text x="{x + qr_size + 16}" y="{y + 70}" font-size="11">'
            f"{escape(unit.sku.code)}</text>"
            f'<text x="{x + qr_size + 16}" y="{y + 90}" font-family="monospace" '
            f'font-size="12">{escape(format_code(verification_code(unit)))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
