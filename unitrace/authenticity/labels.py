"""What a printed label carries: the signed link its QR code opens and the code a
customer can type to verify the product without scanning.

The QR carries a GS1 Digital Link URI when the SKU has a GTIN (a phone opens the
product page, a GS1 scanner still reads GTIN and serial); otherwise the URL of the
unit's public page, which uses an unguessable token rather than the serial. Both start
with ``PUBLIC_BASE_URL`` (or ``DIGITAL_LINK_BASE_URL``). The labels themselves are laid
out by ``serials.labels``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from unitrace.authenticity.codes import format_code, signed_digital_link, verification_code
from unitrace.serials import labels as sheets


def label_url(unit) -> str:
    """Digital Link signed with ``?s=`` (a bare serial proves nothing), else the token URL."""
    return signed_digital_link(unit)


def iter_labels(units: Iterable) -> Iterator[sheets.Label]:
    """Each unit with its label's URL and printed verification code, one at a time
    (a run of many thousand units is never held in memory twice)."""
    for unit in units:
        yield sheets.Label(unit, label_url(unit), format_code(verification_code(unit)))


def unit_labels(units: Iterable) -> list[sheets.Label]:
    """Each unit with its label's URL and printed verification code."""
    return list(iter_labels(units))


def labels_pdf(units: Iterable, template: str = sheets.DEFAULT_TEMPLATE, **options: Any) -> bytes:
    """Labels as PDF on ``template`` (default: A4 sheets of 3 × 8, 70 × 37 mm)."""
    return sheets.labels_pdf(iter_labels(units), template, **options)


def labels_zpl(units: Iterable, template: str, **options: Any) -> bytes:
    """Labels as ZPL for a thermal roll ``template``."""
    return sheets.labels_zpl(iter_labels(units), template, **options)


def labels_svg(units: Iterable) -> str:
    """One SVG sheet of labels in a 3-column grid, one per unit."""
    return sheets.labels_svg(unit_labels(units))
