"""Reading the API's one error body in tests."""

from __future__ import annotations


def field_errors(body: dict) -> dict[str, list[str]]:
    """``{field: [messages]}`` from an error body's rows (DRF's old per-field view)."""
    found: dict[str, list[str]] = {}
    for row in body.get("rows", []):
        found.setdefault(row["field"], []).append(row["message"])
    return found
