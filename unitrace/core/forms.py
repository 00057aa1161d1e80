"""Form pieces every app's pages share."""

from __future__ import annotations

from django import forms


class CodeField(forms.ModelChoiceField):
    """A row picked by its code (typed, scanned or from a datalist), never by its id.

    ``unknown`` is the message for a code no row of ``queryset`` has (``%(value)s`` is
    the code typed).
    """

    def __init__(self, queryset, *, datalist: str, unknown, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"list": datalist, "autocomplete": "off", "spellcheck": "false"}),
        )
        super().__init__(
            queryset, to_field_name="code", error_messages={"invalid_choice": unknown}, **kwargs
        )


class DayField(forms.DateField):
    """A day typed by a person: ISO, ``2026/1/15``, ``2026年1月15日`` or full-width digits,
    read by the one day parser (``core.dates.parse_day``, loose), never in the future."""

    def to_python(self, value):
        from unitrace.core.dates import parse_day

        if value in self.empty_values:
            return None
        if not isinstance(value, str):
            return super().to_python(value)
        try:
            return parse_day(value, loose=True, not_before_year=1990)
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None
