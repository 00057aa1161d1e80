"""Every document type's number format, from the one numbering module."""

from __future__ import annotations

from datetime import date

from unitrace.core.numbering import document_number, part_number, placeholder


def test_formats() -> None:
    assert document_number("TR", 12) == "TR000012"
    assert document_number("SO", 12, date(2026, 3, 1)) == "SO-20260301-000012"
    assert document_number("PO", 1234567, date(2026, 3, 1)) == "PO-20260301-1234567"
    assert part_number("PO-20260301-000012", "R", 2) == "PO-20260301-000012-R02"


def test_placeholders_fit_their_column() -> None:
    assert len(placeholder()) == 32 and len(placeholder(30)) == 30
    assert placeholder() != placeholder()
