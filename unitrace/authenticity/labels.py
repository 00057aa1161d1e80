"""What a printed label carries: the signed link its QR code opens and the code a
customer can type to verify the product without scanning.

The QR carries a GS1 Digital Link URI when the SKU has a GTIN (a phone opens the
product page, a GS1 scanner still reads GTIN and serial); otherwise the URL of the
unit's public page, which uses an unguessable token rather than the serial. The sheets
themselves are laid out by ``serials.labels``.
"""

from __future__ import annotations

from collections.abc import Iterable

from unitrace.authenticity.codes import format_code, signed_digital_link, verification_code
from unitrace.serials import labels as sheets


def label_url(unit) -> str:
    """Digital Link signed with ``?s=`` (a bare serial proves nothing), else the token URL."""
    return signed_digital_link(unit)


def unit_labels(units: Iterable) -> list[sheets.Label]:
    """Each unit with its label's URL and printed verification code."""
    return [
        sheets.Label(unit, label_url(unit), format_code(verification_code(unit))) for unit in units
    ]


def labels_pdf(units: Iterable) -> bytes:
    """A4 sheets of 3 × 8 labels (70 × 37 mm), one per unit."""
    return sheets.labels_pdf(unit_labels(units))


def labels_svg(units: Iterable) -> str:
    """One SVG sheet of labels in a 3-column grid, one per unit."""
    return sheets.labels_svg(unit_labels(units))
