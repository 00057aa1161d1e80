"""The printable delivery note as PDF: header, buyer, then serials grouped by SKU.

reportlab's built-in CID font STSong-Light renders Chinese without shipping a font
file (as the label sheets do); serials are set in Courier so columns line up.
"""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from unitrace.parties.masking import party_contact
from unitrace.sales.models import Delivery
from unitrace.sales.output import units_by_sku

FONT = "STSong-Light"
MONO = "Courier"
COLUMNS = 4
LINE = 4.6 * mm
MARGIN = 15 * mm


def _register_font() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


class _Writer:
    """A cursor down A4 pages that starts a new page (with a running head) when full."""

    def __init__(self, pdf: canvas.Canvas, running_head: str) -> None:
        self.pdf = pdf
        self.head = running_head
        self.width, self.height = A4
        self.page = 1
        self.y = self.height - MARGIN

    def need(self, space: float) -> None:
        if self.y - space < MARGIN + 8 * mm:
            self.footer()
            self.pdf.showPage()
            self.page += 1
            self.y = self.height - MARGIN
            self.text(self.head, size=9)
            self.y -= 2 * mm

    def text(self, value: str, *, size: float = 10, font: str = FONT, x: float = MARGIN) -> None:
        self.need(size * 0.5 * mm + LINE)
        self.pdf.setFont(font, size)
        self.pdf.drawString(x, self.y - size * 0.35 * mm, value)
        self.y -= max(LINE, size * 0.5 * mm)

    def footer(self) -> None:
        self.pdf.setFont(FONT, 8)
        self.pdf.drawRightString(
            self.width - MARGIN, MARGIN / 2, _("page %(n)d") % {"n": self.page}
        )


def delivery_note_pdf(delivery: Delivery, user) -> bytes:
    """A4 delivery note for ``delivery``; contact data masked as for ``user``."""
    _register_font()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(delivery.number)
    out = _Writer(pdf, f"{_('Delivery note')} {delivery.number}")
    buyer = delivery.buyer
    contact = party_contact(buyer, user)
    when = timezone.localtime(delivery.delivered_at).strftime("%Y-%m-%d %H:%M")
    out.text(_("Delivery note"), size=18)
    out.y -= 3 * mm
    for label, value in (
        (_("Number"), delivery.number),
        (_("Order"), delivery.order.number),
        (_("Delivered at"), when),
        (_("From warehouse"), f"{delivery.warehouse.code} {delivery.warehouse.name}"),
        (_("Buyer"), f"{contact['name']} ({buyer.code})"),
        (_("Phone"), contact.get("phone", "")),
        (_("Address"), f"{contact.get('region', '')} {contact.get('address', '')}".strip()),
        (_("Units"), str(delivery.unit_count)),
    ):
        out.text(f"{label}: {value}", size=10)
    col_width = (out.width - 2 * MARGIN) / COLUMNS
    for group in units_by_sku(delivery):
        out.y -= 3 * mm
        out.need(3 * LINE)
        out.text(f"{group['sku']}  {group['name']}  × {group['count']}", size=11)
        serials = group["serials"]
        for start in range(0, len(serials), COLUMNS):
            out.need(LINE)
            pdf.setFont(MONO, 9)
            for i, serial in enumerate(serials[start : start + COLUMNS]):
                pdf.drawString(MARGIN + i * col_width, out.y - 3 * mm, serial)
            out.y -= LINE
    out.y -= 10 * mm
    out.need(2 * LINE)
    out.text(
        f"{_('Received by (signature)')}: ____________________    {_('Date')}: ______________",
        size=10,
    )
    out.footer()
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
