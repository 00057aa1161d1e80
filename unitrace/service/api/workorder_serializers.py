"""Input shapes of the work-order API (outputs are built by ``workorder_output.py``)."""

from __future__ import annotations

from rest_framework import serializers

from unitrace.core.fields import MomentField
from unitrace.service.states import Kind, Mode, Priority


class WorkOrderInputSerializer(serializers.Serializer):
    serial = serializers.CharField(max_length=100, required=False, allow_blank=True)
    customer = serializers.CharField(
        max_length=40, required=False, allow_blank=True, help_text="customer code"
    )
    contact_name = serializers.CharField(max_length=100)
    contact_phone = serializers.CharField(max_length=20)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    adcode = serializers.RegexField(
        r"^\d{6}$", required=False, allow_blank=True, help_text="GB/T 2260 division code"
    )
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True
    )
    kind = serializers.ChoiceField(choices=Kind.choices, required=False, default=Kind.REPAIR)
    priority = serializers.ChoiceField(
        choices=Priority.choices, required=False, default=Priority.NORMAL
    )
    mode = serializers.ChoiceField(choices=Mode.choices, required=False, default=Mode.ON_SITE)
    fault_code = serializers.CharField(max_length=20, required=False, allow_blank=True)
    window_start = MomentField(required=False, allow_null=True)
    window_end = MomentField(required=False, allow_null=True)
    description = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    notes = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    courier_in = serializers.CharField(max_length=40, required=False, allow_blank=True)
    tracking_in = serializers.CharField(max_length=60, required=False, allow_blank=True)
    allow_duplicate = serializers.BooleanField(
        required=False, default=False, help_text="open a second one while the unit has one open"
    )


class TransitionInputSerializer(serializers.Serializer):
    action = serializers.CharField(max_length=20, help_text="a name of the transition table")
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True)
    resolution = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    assignee = serializers.CharField(
        max_length=150, required=False, allow_blank=True, help_text="username (assign)"
    )
    fault_code = serializers.CharField(max_length=20, required=False, allow_blank=True)
