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
