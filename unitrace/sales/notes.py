"""The printable delivery note (发货单) as PDF, in two copies: 客户联 and 仓库联.

Each copy: the company's header (name, logo, address, hotline, website from the
company settings), the delivery's facts (buyer, carrier, tracking number), the lines
with prices and amounts when the order has them, the serials grouped by SKU and the
发货人 / 审核 / 签收 lines. Text is set in the embedded font of ``core.pdf_fonts`` (a
subset of the installed Chinese font), so the note prints the same in every viewer;
serials in its monospaced face so columns line up.
"""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from unitrace.core.company import brand, logo
from unitrace.core.display import shown_moment
from unitrace.core.pdf_fonts import cjk_font
from unitrace.parties.masking import party_contact
from unitrace.sales.models import Delivery, SalesOrderLine
from unitrace.sales.output import units_by_sku

COLUMNS = 4
LINE = 4.6 * mm
MARGIN = 15 * mm


def copies() -> list[str]:
    """The copies printed, in order: the customer's, then the warehouse's."""
    return [_("Customer copy (客户联)"), _("Warehouse copy (仓库联)")]


def _money(value: Decimal) -> str:
    return f"¥{value:,.2f}"


class _Writer:
    """A cursor down A4 pages that starts a new page (with a running head) when full."""

    def __init__(self, pdf: canvas.Canvas, running_head: str, font: str, mono: str) -> None:
        self.pdf = pdf
        self.head = running_head
        self.font, self.mono = font, mono
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

    def text(self, value: str, *, size: float = 10, mono: bool = False, x: float = MARGIN) -> None:
        self.need(size * 0.5 * mm + LINE)
        self.pdf.setFont(self.mono if mono else self.font, size)
        self.pdf.drawString(x, self.y - size * 0.35 * mm, value)
        self.y -= max(LINE, size * 0.5 * mm)

    def row(self, cells: list[tuple[float, str, str]], *, size: float = 10) -> None:
        """One table row: (x, text, "l" or "r") cells on one baseline."""
        self.need(LINE)
        self.pdf.setFont(self.font, size)
        for x, value, align in cells:
            if align == "r":
                self.pdf.drawRightString(x, self.y - 3 * mm, value)
            else:
                self.pdf.drawString(x, self.y - 3 * mm, value)
        self.y -= LINE

    def rule(self) -> None:
        self.pdf.setLineWidth(0.5)
        self.pdf.line(MARGIN, self.y - 1 * mm, self.width - MARGIN, self.y - 1 * mm)
        self.y -= 2 * mm

    def footer(self) -> None:
        self.pdf.setFont(self.font, 8)
        self.pdf.drawRightString(
            self.width - MARGIN, MARGIN / 2, _("page %(n)d") % {"n": self.page}
        )


def _header(out: _Writer, logo_image: ImageReader | None) -> None:
    company = brand()
    top = out.y
    x = MARGIN
    if logo_image is not None:
        w, h = logo_image.getSize()
        height = 14 * mm
        width = min(height * w / h, 40 * mm)
        out.pdf.drawImage(
            logo_image,
            MARGIN,
            top - height,
            width=width,
            height=height,
            preserveAspectRatio=True,
            mask="auto",
        )
        x = MARGIN + width + 4 * mm
    if company.name:
        out.text(company.name, size=14, x=x)
    details = [
        company.address,
        _("Service hotline: %(phone)s") % {"phone": company.hotline} if company.hotline else "",
        company.website,
    ]
    for detail in filter(None, details):
        out.text(detail, size=8.5, x=x)
    if logo_image is not None:
        out.y = min(out.y, top - 16 * mm)
    if company.name or logo_image is not None or any(details):
        out.rule()


def _facts(out: _Writer, delivery: Delivery, user) -> None:
    buyer = delivery.buyer
    contact = party_contact(buyer, user)
    when = shown_moment(delivery.delivered_at)
    address = f"{contact.get('region', '')} {contact.get('address', '')}".strip()
    facts = [
        (_("Number"), delivery.number),
        (_("Order"), delivery.order.number),
        (_("Delivered at"), when),
        (_("From warehouse"), f"{delivery.warehouse.code} {delivery.warehouse.name}"),
        (_("Buyer"), f"{contact['name']} ({buyer.code})"),
        (_("Phone"), contact.get("phone", "")),
        (_("Address"), address),
        (_("Carrier"), delivery.carrier),
        (_("Tracking number"), delivery.tracking_number),
        (_("Units"), str(delivery.unit_count)),
    ]
    half = (out.width - 2 * MARGIN) / 2
    pairs = [(label, value) for label, value in facts if value]
    for start in range(0, len(pairs), 2):
        cells = [
            (MARGIN + i * half, f"{label}: {value}", "l")
            for i, (label, value) in enumerate(pairs[start : start + 2])
        ]
        out.row(cells)


def _lines(out: _Writer, groups: list[dict], prices: dict[str, Decimal | None]) -> None:
    priced = any(prices.get(g["sku"]) is not None for g in groups)
    right = out.width - MARGIN
    columns = [(MARGIN, _("SKU"), "l"), (MARGIN + 40 * mm, _("Name"), "l")]
    if priced:
        columns += [
            (right - 60 * mm, _("Quantity"), "r"),
            (right - 30 * mm, _("Unit price"), "r"),
            (right, _("Amount"), "r"),
        ]
    else:
        columns.append((right, _("Quantity"), "r"))
    out.y -= 2 * mm
    out.row(columns, size=9.5)
    out.rule()
    total = Decimal("0")
    for group in groups:
        cells = [(MARGIN, group["sku"], "l"), (MARGIN + 40 * mm, group["name"][:30], "l")]
        price = prices.get(group["sku"])
        if priced:
            amount = price * group["count"] if price is not None else None
            total += amount or 0
            cells += [
                (right - 60 * mm, str(group["count"]), "r"),
                (right - 30 * mm, _money(price) if price is not None else "-", "r"),
                (right, _money(amount) if amount is not None else "-", "r"),
            ]
        else:
            cells.append((right, str(group["count"]), "r"))
        out.row(cells)
    out.rule()
    count = sum(g["count"] for g in groups)
    totals = [(MARGIN, _("Total"), "l")]
    if priced:
        totals += [(right - 60 * mm, str(count), "r"), (right, _money(total), "r")]
    else:
        totals.append((right, str(count), "r"))
    out.row(totals)


def _serials(out: _Writer, groups: list[dict]) -> None:
    col_width = (out.width - 2 * MARGIN) / COLUMNS
    for group in groups:
        out.y -= 3 * mm
        out.need(3 * LINE)
        out.text(f"{group['sku']}  {group['name']}  × {group['count']}", size=10.5)
        serials = group["serials"]
        for start in range(0, len(serials), COLUMNS):
            out.need(LINE)
            out.pdf.setFont(out.mono, 9)
            for i, serial in enumerate(serials[start : start + COLUMNS]):
                out.pdf.drawString(MARGIN + i * col_width, out.y - 3 * mm, serial)
            out.y -= LINE


def _signatures(out: _Writer) -> None:
    out.y -= 8 * mm
    out.need(3 * LINE)
    third = (out.width - 2 * MARGIN) / 3
    # xgettext reads no call inside an f-string: each label is its own message
    shipped, checked = _("Shipped by (发货人)"), _("Checked by (审核)")
    received, date = _("Received by (签收)"), _("Date")
    blank = "____________"
    out.row(
        [
            (MARGIN, f"{shipped}: {blank}", "l"),
            (MARGIN + third, f"{checked}: {blank}", "l"),
            (MARGIN + 2 * third, f"{received}: {blank}", "l"),
        ]
    )
    out.y -= 3 * mm
    out.row([(MARGIN + 2 * third, f"{date}: {blank}", "l")])


def delivery_note_pdf(delivery: Delivery, user) -> bytes:
    """A4 delivery note for ``delivery`` in its copies; contact data masked as for ``user``."""
    font, mono = cjk_font(), cjk_font(mono=True)
    found = logo()
    logo_image = ImageReader(io.BytesIO(found[0])) if found else None
    groups = units_by_sku(delivery)
    prices = dict(
        SalesOrderLine.objects.filter(order_id=delivery.order_id).values_list(
            "sku__code", "unit_price"
        )
    )
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, initialFontName=font)
    pdf.setTitle(delivery.number)
    for copy in copies():
        title = _("Delivery note")
        out = _Writer(pdf, f"{title} {delivery.number} · {copy}", font, mono)
        _header(out, logo_image)
        pdf.setFont(font, 9)
        pdf.drawRightString(out.width - MARGIN, out.y - 4 * mm, copy)
        out.text(_("Delivery note"), size=18)
        out.y -= 3 * mm
        _facts(out, delivery, user)
        _lines(out, groups, prices)
        _serials(out, groups)
        _signatures(out)
        out.footer()
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()
