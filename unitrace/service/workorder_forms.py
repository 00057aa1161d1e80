"""Web forms of the work-order pages; they only parse — the services decide."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from unitrace.core.filters import MomentField
from unitrace.core.forms import CodeField
from unitrace.parties.models import Party
from unitrace.service.models import FaultCode
from unitrace.service.photo_fields import MultiplePhotoInput, PhotosField
from unitrace.service.states import Kind, Mode, Priority

LOCAL_MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def fault_choices(*, active_only: bool = True) -> list:
    """Fault codes grouped by category (``<optgroup>``), in the reader's language."""
    codes = FaultCode.objects.select_related("category").order_by("category__code", "code")
    if active_only:
        codes = codes.filter(active=True, category__active=True)
    groups: dict[str, tuple[str, list]] = {}
    for code in codes:
        label = f"{code.category.code} {code.category.name}"
        groups.setdefault(code.category.code, (label, []))[1].append(
            (code.code, f"{code.code} {code.name}")
        )
    return [("", "—"), *groups.values()]


class FaultField(forms.ChoiceField):
    """A fault code by its code, from the grouped picker."""

    def __init__(self, **kwargs):
        super().__init__(choices=fault_choices, **kwargs)

    def clean(self, value):
        code = super().clean(value)
        return FaultCode.objects.filter(code=code).first() if code else None


class WorkOrderForm(forms.Form):
    """The agent's 新建工单: what the customer says, prefilled from what is known."""

    serial = forms.CharField(label=_("Serial"), max_length=100, required=False)
    customer = CodeField(
        Party.objects.filter(kind=Party.Kind.CUSTOMER),
        datalist="customer-codes",
        unknown=_("No customer has the code %(value)s."),
        label=_("Customer (code)"),
        required=False,
    )
    contact_name = forms.CharField(label=_("Contact name"), max_length=100)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=20)
    address = forms.CharField(label=_("Site address"), max_length=300, required=False)
    kind = forms.ChoiceField(label=_("Type"), choices=Kind.choices, initial=Kind.REPAIR)
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Priority.choices, initial=Priority.NORMAL
    )
    mode = forms.ChoiceField(label=_("Service mode"), choices=Mode.choices, initial=Mode.ON_SITE)
    fault_code = FaultField(label=_("Fault reported"), required=False)
    window_start = MomentField(label=_("Preferred from"), required=False, widget=LOCAL_MOMENT)
    window_end = MomentField(label=_("Preferred until"), required=False, widget=LOCAL_MOMENT)
    description = forms.CharField(
        label=_("Fault description"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    notes = forms.CharField(
        label=_("Notes"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    courier_in = forms.CharField(label=_("Courier to us"), max_length=40, required=False)
    tracking_in = forms.CharField(label=_("Tracking number to us"), max_length=60, required=False)
    photos = PhotosField(
        label=_("Photos (up to 6)"),
        required=False,
        widget=MultiplePhotoInput(attrs={"accept": "image/*,.heic,.heif"}),
    )
    allow_duplicate = forms.BooleanField(label=_("Open another work order anyway"), required=False)


def engineers():
    """Active logins that may work on jobs (the ``work_workorder`` permission)."""
    perm = Q(codename="work_workorder", content_type__app_label="service")
    users = get_user_model().objects.filter(is_active=True)
    granted = Permission.objects.filter(perm)
    return (
        users.filter(Q(groups__permissions__in=granted) | Q(user_permissions__in=granted))
        .distinct()
        .order_by("username")
    )


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Engineer"), queryset=None, to_field_name="username", required=False
    )
    partner = CodeField(
        Party.objects.filter(kind=Party.Kind.SERVICE_PARTNER, active=True),
        datalist="partner-codes",
        unknown=_("No active service partner has the code %(value)s."),
        label=_("Service partner (code)"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = engineers()


class FaultForm(forms.Form):
    fault_code = FaultField(label=_("Fault code (diagnosed)"))


class ShippingForm(forms.Form):
    courier_in = forms.CharField(label=_("Courier to us"), max_length=40, required=False)
    tracking_in = forms.CharField(label=_("Tracking number to us"), max_length=60, required=False)
    courier_out = forms.CharField(label=_("Courier back"), max_length=40, required=False)
    tracking_out = forms.CharField(label=_("Tracking number back"), max_length=60, required=False)


class TransitionForm(forms.Form):
    action = forms.CharField(max_length=20)
    reason = forms.CharField(max_length=300, required=False)
    resolution = forms.CharField(max_length=4000, required=False)


class SaveViewForm(forms.Form):
    name = forms.CharField(label=_("Name of the view"), max_length=60)
    shared = forms.BooleanField(label=_("Share with everyone who may see the list"), required=False)
