"""Input numbers that fit the column they are stored in.

A serializer or form field with a minimum but no maximum let 10,000,000,000 through to
PostgreSQL, which refused it (``integer out of range``, a 500); SQLite stored it. Every
integer input is bounded by its column: ``integer`` (Django's ``IntegerField`` and
``PositiveIntegerField``) unless ``big=True`` (``bigint``: ids, which are
``BigAutoField``). A caller's own tighter ``min_value``/``max_value`` is kept. Model
serializers and model forms get the bound from the model field's validators already.
"""

from __future__ import annotations

from django import forms
from rest_framework import serializers

INTEGER = (-(2**31), 2**31 - 1)  # PostgreSQL integer
BIGINT = (-(2**63), 2**63 - 1)  # PostgreSQL bigint


def bounded(kwargs: dict, big: bool) -> dict:
    low, high = BIGINT if big else INTEGER
    minimum, maximum = kwargs.get("min_value"), kwargs.get("max_value")
    kwargs["min_value"] = low if minimum is None else max(minimum, low)
    kwargs["max_value"] = high if maximum is None else min(maximum, high)
    return kwargs


class IntegerField(serializers.IntegerField):
    """DRF's ``IntegerField`` bounded by its column (see the module docstring)."""

    def __init__(self, *, big: bool = False, **kwargs):
        super().__init__(**bounded(kwargs, big))


class FormIntegerField(forms.IntegerField):
    """Django's form ``IntegerField`` bounded by its column (see the module docstring)."""

    def __init__(self, *, big: bool = False, **kwargs):
        super().__init__(**bounded(kwargs, big))
