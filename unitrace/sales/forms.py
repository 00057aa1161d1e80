"""Web forms of the sales pages; they only parse — the services decide."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from unitrace.catalog.models import SKU
from unitrace.core.fields import FormIntegerField
from unitrace.core.forms import CodeField
from unitrace.core.uploads import validate_upload
from unitrace.parties.models import Party, phone_validator
from unitrace.parties.phones import normalize_phone
from unitrace.places.models import Warehouse
from unitrace.sales.models import SalesChannel


def _phone_field(required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=required,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        help_text=_("Mobile (138…) or landline (0571-…)."),
    )


class PartyForm(forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=40, required=False, help_text=_("Empty = assigned")
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    is_company = forms.BooleanField(label=_("Company"), required=False)
    contact = forms.CharField(label=_("Contact person"), max_length=100, required=False)
    phone = _phone_field()
    province = forms.CharField(label=_("Province"), max_length=20, required=False)
    city = forms.CharField(label=_("City"), max_length=30, required=False)
    district = forms.CharField(label=_("District"), max_length=30, required=False)
    address = forms.CharField(label=_("Street address"), max_length=200, required=False)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class DistributorForm(PartyForm):
    regions = forms.CharField(
        label=_("Authorized regions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line: a province (浙江省) or a province and a city (江苏省 苏州市)."),
    )


class ChannelForm(forms.ModelForm):
    class Meta:
        model = SalesChannel
        fields = ["code", "name", "kind", "active"]


class OrderForm(forms.Form):
    buyer = CodeField(
        Party.objects.filter(kind__in=["customer", "distributor"], active=True),
        datalist="buyer-codes",
        unknown=_("No active customer or distributor has the code %(value)s."),
        label=_("Customer or distributor (code)"),
    )
    channel = CodeField(
        SalesChannel.objects.filter(active=True),
        datalist="channel-codes",
        unknown=_("No active channel has the code %(value)s."),
        label=_("Channel"),
        required=False,
    )
    customer_ref = forms.CharField(label=_("Customer reference"), max_length=60, required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


MAX_UNIT_PRICE = Decimal("99999999.99")


class OrderLineForm(forms.Form):
    sku = CodeField(
        SKU.objects.filter(serialized=True, active=True),
        datalist="sku-codes",
        unknown=_("No serialized SKU has the code %(value)s."),
        label=_("SKU"),
        required=False,
    )
    quantity = FormIntegerField(label=_("Quantity"), min_value=1, required=False)
    # optional: an order without prices is a plain delivery order (no amounts on the
    # note). A price per unit above a hundred million is a typing slip, not a sale.
    unit_price = forms.DecimalField(
        label=_("Unit price"),
        required=False,
        min_value=Decimal("0"),
        max_value=MAX_UNIT_PRICE,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "invalid": _("Enter the price as a number, such as 1299 or 1299.50."),
            "min_value": _("The price cannot be negative."),
            "max_value": _("The price cannot be more than %(limit_value)s."),
            "max_decimal_places": _("Give the price to the cent: at most 2 decimal places."),
        },
    )

    def clean(self):
        data = super().clean()
        if data.get("sku") and not data.get("quantity"):
            self.add_error("quantity", _("Give the quantity."))
        if data.get("quantity") and not data.get("sku") and "sku" not in self.errors:
            self.add_error("sku", _("Give the SKU."))
        if data.get("unit_price") is not None and not data.get("sku") and "sku" not in self.errors:
            self.add_error("sku", _("Give the SKU."))
        return data


class BaseOrderLineFormSet(forms.BaseFormSet):
    """The lines of one order: one SKU on two lines must not carry two prices."""

    def clean(self) -> None:
        super().clean()
        prices: dict[int, Decimal | None] = {}
        for form in self.forms:
            sku = (getattr(form, "cleaned_data", None) or {}).get("sku")
            if not sku:
                continue
            price = form.cleaned_data.get("unit_price")
            if sku.pk in prices and prices[sku.pk] != price:
                form.add_error(
                    "unit_price",
                    _("SKU %(code)s is on another line with a different price.")
                    % {"code": sku.code},
                )
            prices.setdefault(sku.pk, price)


OrderLineFormSet = forms.formset_factory(
    OrderLineForm, formset=BaseOrderLineFormSet, extra=4, max_num=50
)


class DeliverForm(forms.Form):
    warehouse = CodeField(
        Warehouse.objects.filter(active=True),
        datalist="warehouse-codes",
        unknown=_("No active warehouse has the code %(value)s."),
        label=_("From warehouse"),
    )
    serials = forms.CharField(
        label=_("Serials"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 8, "spellcheck": "false", "autocomplete": "off", "class": "mono"}
        ),
        help_text=_("Scan one per line, paste a list, or a range like A0001-A0100."),
    )
    file = forms.FileField(
        validators=[validate_upload],
        label=_("…or a file (CSV/XLSX with a serial column)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.tsv,.xlsx"}),
    )
    notes = forms.CharField(label=_("Notes"), max_length=500, required=False)
    carrier = forms.CharField(label=_("Carrier"), max_length=60, required=False)
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=60, required=False)

    def __init__(self, *args, scanned: list[str] | None = None, **kwargs):
        """``scanned``: the codes the scan field checked and kept, one per scan."""
        super().__init__(*args, **kwargs)
        self.scanned = [c.strip() for c in scanned or [] if c and c.strip()]
        # the warehouse sits above the scan field, outside the form's own markup
        self.fields["warehouse"].widget.attrs["form"] = "deliver-form"

    def clean(self):
        data = super().clean()
        if not self.scanned and not (data.get("serials") or "").strip() and not data.get("file"):
            raise forms.ValidationError(_("Scan or list at least one unit."))
        return data


class SaleForm(forms.Form):
    serial = forms.CharField(
        label=_("Serial"),
        max_length=400,
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "off",
                "spellcheck": "false",
                "class": "scan-input",
            }
        ),
    )
    distributor = CodeField(
        Party.objects.filter(kind="distributor", active=True),
        datalist="distributor-codes",
        unknown=_("No active distributor has the code %(value)s."),
        label=_("Distributor"),
        required=False,
    )
    customer_name = forms.CharField(label=_("Customer name"), max_length=200)
    customer_phone = forms.CharField(
        label=_("Customer phone"),
        max_length=20,
        required=False,
        validators=[RegexValidator(phone_validator.regex, phone_validator.message)],
    )
    province = forms.CharField(label=_("Province"), max_length=20, required=False)
    city = forms.CharField(label=_("City"), max_length=30, required=False)
    district = forms.CharField(label=_("District"), max_length=30, required=False)
    address = forms.CharField(label=_("Street address"), max_length=200, required=False)

    def clean_customer_phone(self) -> str:
        return normalize_phone(self.cleaned_data.get("customer_phone", ""))
