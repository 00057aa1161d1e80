"""Test helper: the POST body an admin page sends back, read from the page as shown."""

from __future__ import annotations

from django import forms


def _add(data: dict, form: forms.BaseForm) -> None:
    for bound in form:
        if bound.field.disabled:
            continue
        value = bound.value()
        widget = bound.field.widget
        if isinstance(widget, forms.MultiWidget):
            # as the page shows it: e.g. a time without its microseconds
            parts = value if isinstance(value, list | tuple) else widget.decompress(value)
            for i, (part, sub) in enumerate(zip(parts, widget.widgets, strict=True)):
                shown = sub.format_value(part)
                data[f"{bound.html_name}_{i}"] = "" if shown is None else str(shown)
        elif isinstance(bound.field, forms.BooleanField):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(v) for v in value]
        else:
            data[bound.html_name] = "" if value is None else str(value)


def form_data(response) -> dict:
    """Every field of the admin add/change page in ``response``, inlines included."""
    data: dict = {}
    _add(data, response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        _add(data, formset.management_form)
        for form in formset.forms:
            _add(data, form)
    return data
