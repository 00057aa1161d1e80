"""The forms of the registration pages: SKU, batch and warehouse by code, file import,
pasted lists and serial generation (the same references the API's serializers take)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unitrace.catalog.models import SKU, Batch
from unitrace.core.fields import FormIntegerField
from unitrace.core.forms import CodeField
from unitrace.core.uploads import validate_upload
from unitrace.places.models import Warehouse
from unitrace.serials.generation import MAX_GENERATE


class UnitRefsForm(forms.Form):
    """SKU, batch and warehouse by code, as the API's ``_Refs`` serializer takes them."""

    sku = CodeField(
        SKU.objects.filter(serialized=True),
        datalist="sku-codes",
        unknown=gettext_lazy("No serialized SKU has the code %(value)s."),
        label=gettext_lazy("Default SKU"),
        help_text=gettext_lazy("Used for rows without a SKU column."),
        required=False,
    )
    batch = forms.CharField(
        label=gettext_lazy("Batch"),
        required=False,
        max_length=40,
        help_text=gettext_lazy("Batch number of this SKU (optional)."),
    )
    warehouse = CodeField(
        Warehouse.objects.filter(active=True),
        datalist="warehouse-codes",
        unknown=gettext_lazy("No active warehouse has the code %(value)s."),
        label=gettext_lazy("Warehouse"),
        help_text=gettext_lazy("Receive the units into this warehouse (optional)."),
        required=False,
    )

    def clean(self):
        data = super().clean()
        code = (data.get("batch") or "").strip()
        data["batch"] = None
        if code:
            sku = data.get("sku")
            if sku is None:
                if "sku" not in self.errors:
                    self.add_error("batch", _("Give the SKU this batch belongs to."))
            else:
                data["batch"] = Batch.objects.filter(sku=sku, code=code).first()
                if data["batch"] is None:
                    self.add_error(
                        "batch",
                        _("Unknown batch '%(batch)s' for SKU %(sku)s.")
                        % {"batch": code, "sku": sku.code},
                    )
        return data


MODE_CHOICES = [
    ("all", gettext_lazy("All or nothing: import only if every row is valid")),
    ("valid-only", gettext_lazy("Valid rows only: import the good rows, report the rest")),
]


class ImportFileForm(UnitRefsForm):
    file = forms.FileField(
        validators=[validate_upload],
        label=gettext_lazy("File (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.tsv,.xlsx"}),
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("Mode"), choices=MODE_CHOICES, initial="all", widget=forms.RadioSelect
    )
    field_order = ["file", "mode", "sku", "batch", "warehouse"]


class PasteForm(UnitRefsForm):
    serials = forms.CharField(
        label=gettext_lazy("Serials"),
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "autocomplete": "off"}),
        help_text=gettext_lazy(
            "One per line, or separated by spaces or commas; ranges like A0001-A0100 expand."
        ),
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("Mode"), choices=MODE_CHOICES, initial="all", widget=forms.RadioSelect
    )
    field_order = ["serials", "sku", "batch", "warehouse", "mode"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sku"].required = True
        self.fields["sku"].label = _("SKU")
        self.fields["sku"].help_text = ""


class SKURuleField(forms.ModelChoiceField):
    def label_from_instance(self, obj: SKU) -> str:
        return f"{obj.code} · {obj.name} — {obj.serial_pattern}"


class GenerateForm(UnitRefsForm):
    sku = SKURuleField(
        SKU.objects.filter(serialized=True, active=True).exclude(serial_pattern=""),
        to_field_name="code",
        label=gettext_lazy("SKU and its serial rule"),
        empty_label=gettext_lazy("Choose a SKU"),
    )
    count = FormIntegerField(
        label=gettext_lazy("How many"),
        min_value=1,
        max_value=MAX_GENERATE,
        initial=100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    field_order = ["sku", "count", "batch", "warehouse"]
