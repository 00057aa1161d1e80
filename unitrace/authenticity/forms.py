"""Forms of the public pages: phone-sized, each error said next to its field."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from unitrace.authenticity.inputs import PROVINCES, clean_region
from unitrace.parties.phones import normalize_mobile
from unitrace.service.photo_fields import MultiplePhotoInput, PhotosField

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


WINDOW_SLOTS = {
    "morning": (9, 12),
    "afternoon": (13, 18),
    "evening": (18, 21),
}
SLOT_CHOICES = [
    ("", _("any time")),
    ("morning", _("morning (9:00–12:00)")),
    ("afternoon", _("afternoon (13:00–18:00)")),
    ("evening", _("evening (18:00–21:00)")),
]


class FaultChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class RepairForm(forms.Form):
    """The customer's repair request (报修). What the rules say about the values (phone
    format, address needed, lengths) is said by the intake service; the form only reads
    the inputs and says what cannot even be read."""

    contact_name = forms.CharField(
        label=_("Your name"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact_phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    address = forms.CharField(
        label=_("Address"),
        max_length=300,
        required=False,
        help_text=_(
            "Province, city, district, street and number, e.g. 浙江省杭州市西湖区文三路 1 号"
        ),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    latitude = forms.DecimalField(
        max_digits=9, decimal_places=6, required=False, widget=forms.HiddenInput
    )
    longitude = forms.DecimalField(
        max_digits=9, decimal_places=6, required=False, widget=forms.HiddenInput
    )
    window_date = forms.DateField(
        label=_("Preferred day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    window_slot = forms.ChoiceField(label=_("Preferred time"), choices=SLOT_CHOICES, required=False)
    fault_code = FaultChoiceField(
        label=_("What is wrong"),
        queryset=None,
        required=False,
        empty_label=_("— choose if you know —"),
    )
    description = forms.CharField(
        label=_("Describe the fault"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    photos = PhotosField(
        label=_("Photos (up to 6)"),
        required=False,
        help_text=_("Photos of the fault and of the label help the engineer come prepared."),
        widget=MultiplePhotoInput(attrs={"accept": "image/*,.heic,.heif"}),
    )
    label_code = forms.CharField(
        label=_("Code on the label"),
        max_length=20,
        required=False,
        help_text=_("The 8 characters printed next to the serial number, e.g. K7P3-XQ9M."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    phone_code = forms.CharField(
        label=_("Code from the SMS"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, **kwargs):
        from unitrace.service.models import FaultCode

        super().__init__(*args, **kwargs)
        self.fields["fault_code"].queryset = (
            FaultCode.objects.filter(active=True, category__active=True)
            .select_related("category")
            .order_by("category__code", "code")
        )

    def clean_contact_phone(self) -> str:
        phone = self.cleaned_data.get("contact_phone", "").strip()
        try:
            return normalize_mobile(phone)
        except ValidationError:
            return phone  # a landline, or wrong: the intake service says which

    def clean_window_date(self):
        from django.utils import timezone

        day = self.cleaned_data.get("window_date")
        today = timezone.localdate()
        if day is not None and not (today <= day <= today + timedelta(days=60)):
            raise ValidationError(_("Choose a day between today and 60 days from now."))
        return day

    def clean(self):
        data = super().clean()
        if data.get("window_slot") and not data.get("window_date"):
            self.add_error("window_date", _("Choose the day as well as the time."))
        no_fault = not (data.get("description") or "").strip() and not data.get("fault_code")
        if no_fault and "description" not in self.errors:
            self.add_error("description", _("Tell us what is wrong (or choose it from the list)."))
        if (
            not (data.get("label_code") or "").strip()
            and not (data.get("phone_code") or "").strip()
        ):
            self.add_error(
                "label_code",
                _("Type the code printed on the label, or ask for a code by SMS below."),
            )
        return data

    def window(self) -> tuple[datetime | None, datetime | None]:
        """The preferred window as moments in the site's time zone (the whole day when
        no time is chosen)."""
        from django.utils import timezone

        day = self.cleaned_data.get("window_date")
        if day is None:
            return None, None
        start, end = WINDOW_SLOTS.get(self.cleaned_data.get("window_slot") or "", (8, 21))
        tz = timezone.get_current_timezone()
        return (
            datetime.combine(day, time(start), tzinfo=tz),
            datetime.combine(day, time(end), tzinfo=tz),
        )
