"""Shapes of the inventory API. Input serializers only parse; services decide."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from unitrace.catalog.models import SKU
from unitrace.core.fields import IntegerField
from unitrace.inventory.holds import ACTIONS
from unitrace.inventory.models import (
    MinStock,
    PartMove,
    PartStock,
    Stocktake,
    Transfer,
    TransferLine,
)
from unitrace.inventory.parts import is_expired
from unitrace.places.models import Warehouse


def warehouse_field(**kw) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(
        slug_field="code", queryset=Warehouse.objects.filter(active=True), **kw
    )


def part_field(**kw) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(
        slug_field="code", queryset=SKU.objects.filter(serialized=False), **kw
    )


class WarehouseSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(
        slug_field="code", queryset=Warehouse.objects.all(), required=False, allow_null=True
    )
    bins = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Warehouse
        fields = ["id", "code", "name", "level", "parent", "province", "city", "active", "bins"]


class CodesSerializer(serializers.Serializer):
    serials = serializers.ListField(
        child=serializers.CharField(max_length=200),
        min_length=1,
        max_length=100_000,
        help_text="serials or scanned codes (GS1, Digital Link, label URL)",
    )


class TransferCreateSerializer(serializers.Serializer):
    from_warehouse = warehouse_field()
    to_warehouse = warehouse_field()
    number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)
    serials = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, max_length=100_000
    )


class ReceiveSerializer(CodesSerializer):
    bin = serializers.CharField(max_length=40, required=False, allow_blank=True)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class TransferLineSerializer(serializers.ModelSerializer):
    serial = serializers.CharField(source="unit.serial")
    sku = serializers.CharField(source="unit.sku.code")
    received_bin = serializers.CharField(source="received_bin.code", default=None, allow_null=True)

    class Meta:
        model = TransferLine
        fields = ["serial", "sku", "received_at", "received_bin"]


class TransferSerializer(serializers.ModelSerializer):
    from_warehouse = serializers.CharField(source="from_warehouse.code")
    to_warehouse = serializers.CharField(source="to_warehouse.code")
    units = serializers.IntegerField(source="line_count", read_only=True)
    received = serializers.IntegerField(source="received_count", read_only=True)

    class Meta:
        model = Transfer
        fields = [
            "id",
            "number",
            "from_warehouse",
            "to_warehouse",
            "status",
            "notes",
            "created_at",
            "dispatched_at",
            "closed_at",
            "closing_reason",
            "units",
            "received",
        ]


class TransferDetailSerializer(TransferSerializer):
    lines = TransferLineSerializer(many=True, read_only=True)

    class Meta(TransferSerializer.Meta):
        fields = [*TransferSerializer.Meta.fields, "lines"]


class HoldSerializer(CodesSerializer):
    action = serializers.ChoiceField(choices=list(ACTIONS))
    reason = serializers.CharField()


class StocktakeSerializer(serializers.ModelSerializer):
    warehouse = serializers.CharField(source="warehouse.code")
    opened_by = serializers.CharField(source="opened_by.username", default=None, allow_null=True)
    closed_by = serializers.CharField(source="closed_by.username", default=None, allow_null=True)

    class Meta:
        model = Stocktake
        fields = [
            "id",
            "number",
            "warehouse",
            "status",
            "notes",
            "opened_at",
            "opened_by",
            "closed_at",
            "closed_by",
            "closing_reason",
            "book_count",
            "scan_count",
            "counted_count",
            "unexpected_count",
            "duplicate_count",
            "unknown_count",
            "summary",
        ]


class StocktakeOpenSerializer(serializers.Serializer):
    warehouse = warehouse_field()
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class ScanSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=200, required=False)
    codes = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, max_length=10_000
    )
    bin = serializers.CharField(max_length=40, required=False, allow_blank=True)

    def validate(self, attrs):
        if bool(attrs.get("code")) == bool(attrs.get("codes")):
            raise serializers.ValidationError("give either 'code' (one scan) or 'codes' (a batch)")
        return attrs


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "enum": ["all"]},
            {"type": "array", "items": {"type": "integer"}},
        ]
    }
)
class AdjustChoiceField(serializers.Field):
    """``"all"`` or a list of unit ids."""

    def to_internal_value(self, data):
        if data == "all":
            return "all"
        if isinstance(data, list) and all(isinstance(v, int) for v in data):
            return data
        raise serializers.ValidationError('expected "all" or a list of unit ids')

    def to_representation(self, value):
        return value


class CloseSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    missing = AdjustChoiceField(required=False)
    unexpected = AdjustChoiceField(required=False)
    misplaced = AdjustChoiceField(required=False)


class PartStockSerializer(serializers.ModelSerializer):
    warehouse = serializers.CharField(source="warehouse.code")
    sku = serializers.CharField(source="sku.code")
    expired = serializers.SerializerMethodField()

    class Meta:
        model = PartStock
        fields = ["id", "warehouse", "sku", "lot", "expiry", "quantity", "expired", "updated_at"]

    def get_expired(self, obj: PartStock) -> bool:
        return is_expired(obj)


class PartMoveSerializer(serializers.ModelSerializer):
    warehouse = serializers.CharField(source="warehouse.code")
    sku = serializers.CharField(source="sku.code")
    counterpart = serializers.CharField(source="counterpart.code", default=None, allow_null=True)

    class Meta:
        model = PartMove
        fields = [
            "id",
            "type",
            "warehouse",
            "sku",
            "lot",
            "quantity",
            "balance",
            "counterpart",
            "forced",
            "occurred_at",
            "username",
            "reference",
            "reason",
        ]


class PartMoveInputSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=PartMove.Type.choices)
    warehouse = warehouse_field()
    sku = part_field()
    quantity = IntegerField(help_text="above 0; for 'adjust' a signed change")
    lot = serializers.CharField(max_length=40, required=False, allow_blank=True)
    expiry = serializers.DateField(required=False, allow_null=True)
    to_warehouse = warehouse_field(required=False, allow_null=True)
    reference = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    force = serializers.BooleanField(required=False, default=False)

    def validate(self, attrs):
        if attrs["type"] == PartMove.Type.TRANSFER and not attrs.get("to_warehouse"):
            raise serializers.ValidationError({"to_warehouse": "required for a transfer"})
        return attrs


class MinStockSerializer(serializers.ModelSerializer):
    warehouse = serializers.SlugRelatedField(slug_field="code", queryset=Warehouse.objects.all())
    sku = part_field()

    class Meta:
        model = MinStock
        fields = ["id", "warehouse", "sku", "minimum"]


class LowStockSerializer(serializers.Serializer):
    """One part below its minimum in one warehouse (``GET /part-stock/low/``, a list)."""

    warehouse = serializers.CharField(read_only=True)
    sku = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    minimum = serializers.IntegerField(read_only=True)
    usable = serializers.IntegerField(read_only=True)
    short = serializers.IntegerField(read_only=True)
    alert_since = serializers.DateTimeField(read_only=True, allow_null=True)
