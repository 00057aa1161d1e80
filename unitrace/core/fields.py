"""Input numbers that fit the column they are stored in; input moments within reason.

A serializer or form field with a minimum but no maximum let 10,000,000,000 through to
PostgreSQL, which refused it (``integer out of range``, a 500); SQLite stored it. Every
integer input is bounded by its column: ``integer`` (Django's ``IntegerField`` and
``PositiveIntegerField``) unless ``big=True`` (``bigint``: ids, which are
``BigAutoField``). A caller's own tighter ``min_value``/``max_value`` is kept. Model
serializers and model forms get the bound from the model field's validators already.

:class:`MomentField` is DRF's ``DateTimeField`` for input moments (an event's time):
within :func:`unitrace.core.dates.in_range`, since a moment in the year 1 overflowed
when SQLite's adapter moved it to UTC.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from unitrace.core.dates import in_range

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


class MomentField(serializers.DateTimeField):
    """DRF's ``DateTimeField`` taking only moments between 2000 and a year from now."""

    default_error_messages = {
        "out_of_range": _("Enter a date and time between 2000 and a year from now."),
    }

    def to_internal_value(self, value):
        try:
            moment = super().to_internal_value(value)
        except OverflowError:  # DRF's own time-zone check, in the year 1 or 9999
            self.fail("out_of_range")
        if not in_range(moment):
            self.fail("out_of_range")
        return moment
