"""Helpers every unit page shares, here and in the compositions above serials."""

from __future__ import annotations

from unitrace.serials.models import Unit
from unitrace.serials.statuses import Status


def status_label(value: str) -> str:
    """The translated label of a status value (the value itself if it is unknown)."""
    return Status(value).label if value in Status.values else value


def unit_row(unit: Unit) -> dict:
    """A unit as lists and search results show it: the unit and its status label."""
    return {"unit": unit, "status_label": status_label(unit.status)}
