"""Printable label sheets: a QR code per unit plus its serial in text.

This module lays the sheets out; what a label carries besides the unit's serial and
SKU — the URL in its QR code and the printed verification code — is decided above
serials by whoever prints (``authenticity.labels``), and passed in as ``Label`` rows.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from html import escape
from typing import NamedTuple

import segno
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

COLUMNS, ROWS = 3, 8
MAX_LABELS = 2000
_FONT = "STSong-Light"  # built-in CID font: Chinese text with no font file to ship


class Label(NamedTuple):
    """One label: the unit, the URL its QR code opens and the code printed under it."""

    unit: object
    url: str
    code: str


def _register_font() -> None:
    if _FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(_FONT))


def labels_pdf(labels: Iterable[Label]) -> bytes:
    """A4 sheets of 3 × 8 labels (70 × 37 mm, the common Chinese label stock)."""
    _register_font()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle("unitrace labels")
    width, height = A4
    cell_w, cell_h = width / COLUMNS, height / ROWS
    for index, (unit, url, code) in enumerate(labels):
        if index and index % (COLUMNS * ROWS) == 0:
            pdf.showPage()
        slot = index % (COLUMNS * ROWS)
        x0 = (slot % COLUMNS) * cell_w
        y0 = height - (slot // COLUMNS + 1) * cell_h
        qr = segno.make(url, error="m")
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
        pdf.drawString(text_x + 9 * mm, y0 + cell_h / 2 - 13 * mm, code)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


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
