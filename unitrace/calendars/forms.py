"""Admin forms: an end of 24:00, and a day's windows checked together.

Overlaps are a property of all of a day's windows, so they are checked on the inline
formset (the rows as submitted, new and changed ones together) rather than row by row
against the database, where moving two windows in one save would clash with itself.
"""

from __future__ import annotations

from datetime import time

from django import forms

from unitrace.calendars import business_time
from unitrace.calendars.services import check_windows


class EndTimeField(forms.TimeField):
    """A time of day that also takes 24:00 (stored as 00:00: midnight, end of the day)."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip() in {"24:00", "24:00:00"}:
            return time(0)
        return super().to_python(value)

    def prepare_value(self, value):
        if value == time(0):
            return "24:00"
        return super().prepare_value(value)


class WindowForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "end" in self.fields:
            old = self.fields["end"]
            self.fields["end"] = EndTimeField(
                label=old.label, help_text=old.help_text, widget=old.widget, required=True
            )


class WindowFormSet(forms.BaseInlineFormSet):
    """Refuses windows of one day that overlap, naming the row and the window it hits."""

    def clean(self) -> None:
        super().clean()
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or form.errors:
                continue
            if data.get("start") is None or data.get("end") is None:
                continue
            weekday = data.get("weekday", 0)
            seconds = (
                business_time.to_seconds(data["start"]),
                business_time.to_seconds(data["end"], end=True),
            )
            rows.append((form, weekday, seconds))
        for position, field, message in check_windows((w, s) for _f, w, s in rows):
            rows[position][0].add_error(field, message)
