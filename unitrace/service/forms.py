"""Web forms of the return and exchange pages; they only parse — the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from unitrace.places.models import Warehouse
from unitrace.sales.forms import CodeField
from unitrace.service.models import InspectionResult

RESULT_CHOICES = InspectionResult.choices


class ReturnForm(forms.Form):
    warehouse = CodeField(
        Warehouse.objects.filter(active=True),
        datalist="warehouse-codes",
        unknown=_("No active warehouse has the code %(value)s."),
        label=_("Returned to warehouse"),
    )
    serials = forms.CharField(
        label=_("Serials"),
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "class": "mono"}),
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)
    result = forms.ChoiceField(
        label=_("Inspection result"), choices=RESULT_CHOICES, initial=InspectionResult.PENDING
    )


class ExchangeForm(forms.Form):
    old_serial = forms.CharField(label=_("Returned unit (serial)"), max_length=400)
    new_serial = forms.CharField(label=_("Replacement unit (serial)"), max_length=400)
    warehouse = CodeField(
        Warehouse.objects.filter(active=True),
        datalist="warehouse-codes",
        unknown=_("No active warehouse has the code %(value)s."),
        label=_("Returned unit goes to warehouse"),
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)
    result = forms.ChoiceField(
        label=_("Inspection result of the returned unit"),
        choices=RESULT_CHOICES,
        initial=InspectionResult.PENDING,
    )
