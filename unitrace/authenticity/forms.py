"""Forms of the public pages: phone-sized, each error said next to its field."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from unitrace.authenticity.inputs import PROVINCES, clean_region
from unitrace.parties.phones import normalize_mobile

PROVINCE_CHOICES = [("", _("— choose —")), *((p, p) for p in PROVINCES)]


def _text(max_length: int, *, required: bool = True, **attrs) -> forms.CharField:
    return forms.CharField(
        max_length=max_length, required=required, widget=forms.TextInput(attrs=attrs)
    )


class RegionForm(forms.Form):
    """省/市/区: a province from the list, city and district as typed."""

    region_required = True
    province = forms.ChoiceField(label=_("Province"), choices=PROVINCE_CHOICES)
    city = _text(30, autocomplete="address-level2")
    district = _text(30, required=False, autocomplete="address-level3")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].label = _("City")
        self.fields["district"].label = _("District / county")
        self.fields["province"].required = self.region_required
        self.fields["city"].required = self.region_required

    def clean(self):
        data = super().clean()
        if {"province", "city", "district"} & set(self.errors):
            return data
        try:
            data["region"] = clean_region(
                data.get("province", ""),
                data.get("city", ""),
                data.get("district", ""),
                required=self.region_required,
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    self.add_error(name, message)
        return data


class ActivationForm(RegionForm):
    phone = _text(20, inputmode="tel", autocomplete="tel", placeholder="13812345678")
    field_order = ["phone", "province", "city", "district"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].label = _("Mobile number")
        self.fields["phone"].help_text = _("Used only for warranty and service of this product.")

    def clean_phone(self) -> str:
        return normalize_mobile(self.cleaned_data["phone"])


class VerifyForm(RegionForm):
    region_required = False
    serial = _text(40, autocomplete="off", spellcheck="false", autocapitalize="characters")
    code = _text(20, autocomplete="off", spellcheck="false", autocapitalize="characters")
    field_order = ["serial", "code", "province", "city", "district"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["serial"].label = _("Serial number")
        self.fields["code"].label = _("Verification code")
        self.fields["code"].help_text = _("The 8 characters printed next to the serial number.")


class CheckRegionForm(RegionForm):
    """Where the customer is, given after the result: optional, attached to that check."""

    region_required = False
    check = forms.CharField(widget=forms.HiddenInput, max_length=200)
    field_order = ["province", "city", "district", "check"]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "where_%s")  # the page's other form has its own ids
        super().__init__(*args, **kwargs)
        self.fields["province"].help_text = _(
            "Optional. Helps the manufacturer find copied labels and products sold outside "
            "their region; nothing else is asked or recorded."
        )
