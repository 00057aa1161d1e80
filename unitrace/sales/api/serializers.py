"""Input shapes of the sales API (outputs are built by ``api/output.py``)."""

from __future__ import annotations

from rest_framework import serializers

from unitrace.core.fields import IntegerField, MomentField
from unitrace.core.uploads import validate_upload
from unitrace.sales.models import SalesChannel


class PartyInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40, required=False, allow_blank=True)
    name = serializers.CharField(max_length=200, required=False)
    is_company = serializers.BooleanField(required=False)
    contact = serializers.CharField(max_length=100, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    province = serializers.CharField(max_length=20, required=False, allow_blank=True)
    city = serializers.CharField(max_length=30, required=False, allow_blank=True)
    district = serializers.CharField(max_length=30, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    active = serializers.BooleanField(required=False)
    # exact coordinates (a phone's GPS) instead of the district's centroid; null for both
    # goes back to the centroid
    latitude = serializers.DecimalField(
        max_digits=20, decimal_places=12, required=False, allow_null=True
    )
    longitude = serializers.DecimalField(
        max_digits=20, decimal_places=12, required=False, allow_null=True
    )


class RegionSerializer(serializers.Serializer):
    province = serializers.CharField(max_length=20)
    city = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")


class DistributorInputSerializer(PartyInputSerializer):
    regions = RegionSerializer(many=True, required=False)

    def validate_regions(self, regions):
        """A PATCH may leave out the distributor's fields, never a region's province.

        DRF carries ``partial`` into nested items, which let ``[{}]`` through.
        """
        if self.partial:
            whole = RegionSerializer(data=self.initial_data.get("regions"), many=True)
            if not whole.is_valid():
                raise serializers.ValidationError(whole.errors)
            return whole.validated_data
        return regions


class ChannelSerializer(serializers.ModelSerializer):
    class Meta:
        model = SalesChannel
        fields = ["id", "code", "name", "kind", "active"]


class OrderLineInputSerializer(serializers.Serializer):
    sku = serializers.CharField(max_length=60)
    quantity = IntegerField(min_value=1)
    unit_price = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True
    )


class OrderInputSerializer(serializers.Serializer):
    buyer = serializers.CharField(max_length=40, help_text="customer or distributor code")
    channel = serializers.CharField(max_length=40, required=False, allow_blank=True)
    customer_ref = serializers.CharField(max_length=60, required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)
    lines = OrderLineInputSerializer(many=True)


class DeliveryInputSerializer(serializers.Serializer):
    order = serializers.CharField(max_length=40, help_text="order number or id")
    warehouse = serializers.CharField(max_length=40)
    serials = serializers.ListField(
        child=serializers.CharField(max_length=400),
        required=False,
        help_text="serials, GS1 codes or ranges like A0001-A0100",
    )
    file = serializers.FileField(
        required=False, validators=[validate_upload], help_text="CSV/XLSX with a serial column"
    )
    time = MomentField(required=False)
    notes = serializers.CharField(required=False, allow_blank=True)
    carrier = serializers.CharField(required=False, allow_blank=True, max_length=60)
    tracking_number = serializers.CharField(required=False, allow_blank=True, max_length=60)


class SellThroughInputSerializer(serializers.Serializer):
    serial = serializers.CharField(max_length=400)
    sku = serializers.CharField(max_length=60, required=False, allow_blank=True)
    distributor = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        help_text="distributor code (staff only; a distributor login sells as itself)",
    )
    customer = serializers.CharField(
        max_length=40, required=False, allow_blank=True, help_text="existing customer code"
    )
    customer_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    customer_phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    province = serializers.CharField(max_length=20, required=False, allow_blank=True)
    city = serializers.CharField(max_length=30, required=False, allow_blank=True)
    district = serializers.CharField(max_length=30, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    time = MomentField(required=False)
