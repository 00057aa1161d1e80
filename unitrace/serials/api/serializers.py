from rest_framework import serializers

from unitrace.catalog.models import SKU, Batch
from unitrace.core.fields import IntegerField, MomentField
from unitrace.core.uploads import validate_upload
from unitrace.parties.masking import party_name
from unitrace.places.models import Warehouse
from unitrace.serials.importing import MODES
from unitrace.serials.models import Unit
from unitrace.serials.statuses import EventType


class UnitListSerializer(serializers.ModelSerializer):
    sku = serializers.CharField(source="sku.code")
    batch = serializers.CharField(source="batch.code", default=None, allow_null=True)
    warehouse = serializers.CharField(source="warehouse.code", default=None, allow_null=True)
    holder = serializers.CharField(source="holder.name", default=None, allow_null=True)

    class Meta:
        model = Unit
        fields = [
            "id",
            "serial",
            "supplier_serial",
            "sku",
            "batch",
            "status",
            "warehouse",
            "holder",
            "last_event_at",
        ]

    def to_representation(self, unit: Unit) -> dict:
        """The holder's name as the caller may see it (a person's masked without PII)."""
        data = super().to_representation(unit)
        request = self.context.get("request")
        if unit.holder_id is not None:
            data["holder"] = party_name(unit.holder, request.user if request else None)
        return data


class _Refs(serializers.Serializer):
    sku = serializers.SlugRelatedField(slug_field="code", queryset=SKU.objects.all())
    batch = serializers.CharField(required=False, allow_blank=True)
    warehouse = serializers.SlugRelatedField(
        slug_field="code", queryset=Warehouse.objects.all(), required=False, allow_null=True
    )

    def validate(self, attrs):
        code = attrs.pop("batch", "")
        attrs["batch"] = None
        if code:
            sku = attrs.get("sku")
            batch = Batch.objects.filter(sku=sku, code=code).first() if sku else None
            if batch is None:
                raise serializers.ValidationError(
                    {"batch": f"unknown batch '{code}' for SKU {sku.code if sku else '?'}"}
                )
            attrs["batch"] = batch
        return attrs


class GenerateSerializer(_Refs):
    count = IntegerField(min_value=1, max_value=1_000_000)


class ImportSerializer(_Refs):
    file = serializers.FileField(validators=[validate_upload])
    mode = serializers.ChoiceField(choices=MODES, default="all")
    sku = serializers.SlugRelatedField(
        slug_field="code", queryset=SKU.objects.all(), required=False, allow_null=True
    )


class ListRegisterSerializer(_Refs):
    serials = serializers.CharField(help_text="pasted or scanned list; ranges like A0001-A0100")
    mode = serializers.ChoiceField(choices=MODES, default="all")


class EventInputSerializer(serializers.Serializer):
    type = serializers.ChoiceField(
        choices=[
            t
            for t in EventType.choices
            if t[0]
            not in {
                EventType.REGISTERED,
                EventType.FITTED,
                EventType.UNFITTED,
                EventType.COMPONENT_INSTALLED,
                EventType.COMPONENT_REMOVED,
                EventType.PART_SWAPPED,
            }
        ]
    )
    time = MomentField(required=False)
    warehouse = serializers.SlugRelatedField(
        slug_field="code", queryset=Warehouse.objects.all(), required=False, allow_null=True
    )
    to_warehouse = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Warehouse.objects.all(),
        required=False,
        allow_null=True,
        help_text="destination of a transfer_out",
    )
    party = serializers.CharField(required=False, allow_blank=True)
    region = serializers.CharField(required=False, allow_blank=True, max_length=80)
    ref_type = serializers.CharField(required=False, allow_blank=True, max_length=30)
    ref_id = serializers.CharField(required=False, allow_blank=True, max_length=60)
    notes = serializers.CharField(required=False, allow_blank=True)


class ComponentActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["install", "remove", "replace"])
    component = IntegerField(big=True, help_text="unit id of the component")
    new_component = IntegerField(big=True, required=False, help_text="for replace")
    position = serializers.CharField(required=False, allow_blank=True)
    time = MomentField(required=False)
    warehouse = serializers.SlugRelatedField(
        slug_field="code", queryset=Warehouse.objects.all(), required=False, allow_null=True
    )
    notes = serializers.CharField(required=False, allow_blank=True)
