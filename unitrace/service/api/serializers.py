"""Input shapes of the returns and exchanges API (outputs are built by ``output.py``)."""

from __future__ import annotations

from rest_framework import serializers

from unitrace.core.fields import MomentField
from unitrace.service.models import InspectionResult


class ReturnLineInputSerializer(serializers.Serializer):
    serial = serializers.CharField(max_length=400)
    sku = serializers.CharField(max_length=60, required=False, allow_blank=True)
    result = serializers.ChoiceField(
        choices=InspectionResult.choices, required=False, default=InspectionResult.PENDING
    )


class ReturnInputSerializer(serializers.Serializer):
    warehouse = serializers.CharField(max_length=40)
    reason = serializers.CharField(max_length=200)
    lines = ReturnLineInputSerializer(many=True)
    time = MomentField(required=False)


class InspectLineSerializer(serializers.Serializer):
    serial = serializers.CharField(max_length=400)
    result = serializers.ChoiceField(choices=InspectionResult.choices)


class InspectInputSerializer(serializers.Serializer):
    lines = InspectLineSerializer(many=True)
    notes = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ExchangeInputSerializer(serializers.Serializer):
    old_serial = serializers.CharField(max_length=400)
    new_serial = serializers.CharField(max_length=400)
    sku = serializers.CharField(max_length=60, required=False, allow_blank=True)
    warehouse = serializers.CharField(max_length=40, help_text="where the old unit goes")
    reason = serializers.CharField(max_length=200)
    result = serializers.ChoiceField(
        choices=InspectionResult.choices, required=False, default=InspectionResult.PENDING
    )
    time = MomentField(required=False)
