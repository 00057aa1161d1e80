"""Forms of the procurement pages: codes are typed or scanned, never picked from ids."""

from __future__ import annotations

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from unitrace.catalog.models import SKU
from unitrace.core.fields import FormIntegerField
from unitrace.core.forms import CodeField
from unitrace.core.uploads import validate_upload
from unitrace.parties.models import Party
from unitrace.places.models import Warehouse
from unitrace.procurement.models import SuspectUnit


def supplier_field(**kwargs) -> CodeField:
    return CodeField(
        Party.objects.filter(kind=Party.Kind.SUPPLIER, active=True),
        datalist="supplier-codes",
        unknown=_("No active supplier has the code %(value)s."),
        label=_("Supplier"),
        **kwargs,
    )


def warehouse_field(**kwargs) -> CodeField:
    return CodeField(
        Warehouse.objects.filter(active=True),
        datalist="warehouse-codes",
        unknown=_("No active warehouse has the code %(value)s."),
        label=_("Warehouse"),
        **kwargs,
    )


def sku_field(**kwargs) -> CodeField:
    return CodeField(
        SKU.objects.filter(serialized=True),
        datalist="sku-codes",
        unknown=_("No serialized SKU has the code %(value)s."),
        label=_("SKU"),
        **kwargs,
    )


class OrderForm(forms.Form):
    supplier = supplier_field()
    number = forms.CharField(
        label=_("Number"),
        max_length=30,
        required=False,
        help_text=_("Leave empty for an automatic number."),
    )
    warehouse = warehouse_field(required=False, help_text=_("Where the goods will arrive."))
    order_date = forms.DateField(
        label=_("Order date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="CNY")
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class LineForm(forms.Form):
    sku = sku_field(required=False)
    quantity = FormIntegerField(
        label=_("Quantity"),
        min_value=1,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    unit_price = forms.DecimalField(
        label=_("Unit price"), min_value=0, max_digits=14, decimal_places=4, required=False
    )
    expected_date = forms.DateField(
        label=_("Expected"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("sku") and not data.get("quantity"):
            self.add_error("quantity", _("How many?"))
        if data.get("quantity") and not data.get("sku") and "sku" not in self.errors:
            self.add_error("sku", _("Which SKU?"))
        return data


LineFormSet = formset_factory(LineForm, extra=5, max_num=200)

MODE_CHOICES = [
    ("all", _("All or nothing: store only if every row is valid")),
    ("valid-only", _("Valid rows only: store the good rows, report the rest")),
]


class AsnUploadForm(forms.Form):
    file = forms.FileField(
        validators=[validate_upload],
        label=_("Serial list (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.tsv,.xlsx"}),
    )
    mode = forms.ChoiceField(
        label=_("Mode"), choices=MODE_CHOICES, initial="all", widget=forms.RadioSelect
    )


class BulkReceiveForm(forms.Form):
    serials = forms.CharField(
        label=_("Serials or ranges"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "autocomplete": "off"}),
        help_text=_("One per line or separated by spaces; ranges like A0001-A0100 expand."),
    )
    file = forms.FileField(
        validators=[validate_upload],
        label=_("Or a file (CSV or XLSX with a serial column)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.tsv,.xlsx"}),
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("serials", "").strip()) == bool(data.get("file")):
            raise forms.ValidationError(_("Give either serials or a file."))
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            (SuspectUnit.Decision.ACCEPTED, _("Accept: genuine, release to stock")),
            (SuspectUnit.Decision.REJECTED, _("Reject: block as counterfeit")),
        ]
    )
    notes = forms.CharField(required=False, max_length=1000)


class SupplierForm(forms.ModelForm):
    class Meta:
        model = Party
        fields = ["code", "name", "contact", "phone", "province", "city", "district", "address"]


class QualityFilter(forms.Form):
    # "date range": plain From/To are the transfer pages' 调出/调入 (source, destination)
    start = forms.DateField(
        label=pgettext_lazy("date range", "From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=pgettext_lazy("date range", "To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
