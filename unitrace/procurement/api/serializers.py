"""Shapes of the procurement API. Input serializers only parse; services do the rest."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from rest_framework import serializers

from unitrace.catalog.models import SKU
from unitrace.core.fields import IntegerField
from unitrace.core.uploads import validate_upload
from unitrace.parties.masking import keep_hidden_pii, party_contact
from unitrace.parties.models import Party
from unitrace.places.models import Warehouse
from unitrace.procurement.asn import MODES
from unitrace.procurement.models import (
    ExpectedSerial,
    PurchaseOrder,
    PurchaseOrderLine,
    Receipt,
    SuspectUnit,
)
from unitrace.procurement.selectors import receipt_figures


def _sku_field(**kwargs) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(
        slug_field="code", queryset=SKU.objects.filter(serialized=True), **kwargs
    )


def _warehouse_field(**kwargs) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(
        slug_field="code", queryset=Warehouse.objects.filter(active=True), **kwargs
    )


class LineSerializer(serializers.ModelSerializer):
    sku = _sku_field()
    sku_name = serializers.CharField(source="sku.name", read_only=True)
    unit_price = serializers.DecimalField(
        max_digits=14, decimal_places=4, min_value=Decimal("0"), required=False
    )
    remaining = serializers.IntegerField(read_only=True)

    class Meta:
        model = PurchaseOrderLine
        fields = [
            "id",
            "sku",
            "sku_name",
            "quantity",
            "unit_price",
            "expected_date",
            "received_quantity",
            "asn_quantity",
            "remaining",
        ]
        read_only_fields = ["received_quantity", "asn_quantity"]


class LineUpdateSerializer(serializers.Serializer):
    quantity = IntegerField(min_value=1, required=False)
    unit_price = serializers.DecimalField(
        max_digits=14, decimal_places=4, min_value=Decimal("0"), required=False
    )
    expected_date = serializers.DateField(required=False, allow_null=True)


class OrderSerializer(serializers.ModelSerializer):
    number = serializers.CharField(max_length=30, required=False, allow_blank=True)
    supplier = serializers.SlugRelatedField(
        slug_field="code", queryset=Party.objects.filter(kind=Party.Kind.SUPPLIER)
    )
    supplier_name = serializers.CharField(source="supplier.name", read_only=True)
    warehouse = _warehouse_field(required=False, allow_null=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True, default="")
    lines = LineSerializer(many=True)

    class Meta:
        model = PurchaseOrder
        fields = [
            "id",
            "number",
            "supplier",
            "supplier_name",
            "warehouse",
            "status",
            "status_label",
            "order_date",
            "currency",
            "notes",
            "created_by",
            "created_at",
            "lines",
        ]
        read_only_fields = ["status", "created_at"]
        extra_kwargs = {"order_date": {"required": False}}


class OrderUpdateSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=30, required=False)
    supplier = serializers.SlugRelatedField(
        slug_field="code", queryset=Party.objects.filter(kind=Party.Kind.SUPPLIER), required=False
    )
    warehouse = _warehouse_field(required=False, allow_null=True)
    order_date = serializers.DateField(required=False)
    currency = serializers.CharField(max_length=3, required=False)
    notes = serializers.CharField(required=False, allow_blank=True)


class AsnRowInput(serializers.Serializer):
    sku = serializers.CharField(required=False, allow_blank=True, default="")
    serial = serializers.CharField(trim_whitespace=False, allow_blank=True)
    supplier_serial = serializers.CharField(required=False, allow_blank=True, default="")
    batch = serializers.CharField(required=False, allow_blank=True, default="")
    production_date = serializers.CharField(required=False, allow_blank=True, default="")


class AsnInput(serializers.Serializer):
    """JSON rows, or plain serials of one SKU, or (multipart) a CSV/XLSX file."""

    rows = AsnRowInput(many=True, required=False)
    serials = serializers.ListField(
        child=serializers.CharField(trim_whitespace=False, allow_blank=True), required=False
    )
    sku = serializers.CharField(required=False, allow_blank=True, default="")
    file = serializers.FileField(required=False, validators=[validate_upload])
    mode = serializers.ChoiceField(choices=MODES, default="all")

    def validate(self, attrs):
        given = [k for k in ("rows", "serials", "file") if attrs.get(k) is not None]
        if len(given) != 1:
            raise serializers.ValidationError(_("Send exactly one of: rows, serials, file."))
        return attrs


class AsnRowSerializer(serializers.ModelSerializer):
    sku = serializers.CharField(source="sku.code")
    batch = serializers.CharField(source="batch.code", default=None, allow_null=True)
    received_on = serializers.CharField(source="receipt.number", default=None, allow_null=True)

    class Meta:
        model = ExpectedSerial
        fields = [
            "id",
            "sku",
            "serial",
            "supplier_serial",
            "batch",
            "production_date",
            "received_on",
        ]


class ReceiveInput(serializers.Serializer):
    """One scan (``code``), or many: ``codes``, ``range`` or a multipart ``file``."""

    code = serializers.CharField(required=False, trim_whitespace=False, allow_blank=True)
    codes = serializers.ListField(
        child=serializers.CharField(trim_whitespace=False, allow_blank=True),
        required=False,
        max_length=100_000,
    )
    range = serializers.CharField(required=False)
    file = serializers.FileField(required=False, validators=[validate_upload])
    warehouse = _warehouse_field(required=False)
    sku = _sku_field(required=False)

    def validate(self, attrs):
        given = [k for k in ("code", "codes", "range", "file") if attrs.get(k) is not None]
        if len(given) != 1:
            raise serializers.ValidationError(_("Send exactly one of: code, codes, range, file."))
        return attrs


class ReceiptSerializer(serializers.ModelSerializer):
    order = serializers.CharField(source="order.number")
    warehouse = serializers.CharField(source="warehouse.code")
    opened_by = serializers.CharField(source="opened_by.username", default=None, allow_null=True)
    figures = serializers.SerializerMethodField()

    class Meta:
        model = Receipt
        fields = [
            "id",
            "number",
            "order",
            "warehouse",
            "status",
            "opened_by",
            "opened_at",
            "closed_at",
            "figures",
        ]

    def get_figures(self, receipt: Receipt) -> dict:
        return receipt_figures(receipt)


class SuspectSerializer(serializers.ModelSerializer):
    unit = serializers.SerializerMethodField()
    order = serializers.CharField(source="order.number")
    supplier = serializers.CharField(source="order.supplier.code")
    receipt = serializers.CharField(source="receipt.number")
    decided_by = serializers.CharField(source="decided_by.username", default=None, allow_null=True)

    class Meta:
        model = SuspectUnit
        fields = [
            "id",
            "unit",
            "order",
            "supplier",
            "receipt",
            "reason",
            "created_at",
            "decision",
            "decided_by",
            "decided_at",
            "decision_notes",
        ]

    def get_unit(self, suspect: SuspectUnit) -> dict:
        unit = suspect.unit
        return {"id": unit.pk, "serial": unit.serial, "sku": unit.sku.code, "status": unit.status}


class DecisionInput(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=[SuspectUnit.Decision.ACCEPTED, SuspectUnit.Decision.REJECTED]
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class SupplierSerializer(serializers.ModelSerializer):
    class Meta:
        model = Party
        fields = [
            "id",
            "code",
            "name",
            "contact",
            "phone",
            "province",
            "city",
            "district",
            "address",
            "active",
        ]

    def to_internal_value(self, data):
        """A role without PII was shown contact, phone and address masked: sending the
        masked value back (or nothing) keeps the real one, never saves the stars."""
        if self.instance is not None and hasattr(data, "items"):
            data = keep_hidden_pii(self.instance, dict(data.items()), self.context["request"].user)
        return super().to_internal_value(data)

    def to_representation(self, party: Party) -> dict:
        data = super().to_representation(party)
        contact = party_contact(party, self.context["request"].user)
        for name in ("contact", "phone", "address"):
            data[name] = contact[name]
        return data
