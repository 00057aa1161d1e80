from django.db import models
from rest_framework import serializers
from rest_framework.fields import empty

from unitrace.catalog.models import SKU, Batch, Category, ComponentSpec


class OmittableBooleanField(serializers.BooleanField):
    """A boolean left out of a form post is "not given", not ``False``.

    DRF reads a missing HTML-form boolean as an unticked checkbox (``False``); API
    clients posting form data simply leave out what they do not set, and then a new
    SKU must keep the model's defaults (serialized, active) and an update must keep
    the stored value. ``false`` is still sent explicitly.
    """

    default_empty_html = empty


class CatalogModelSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.BooleanField: OmittableBooleanField,
    }


class ComponentSpecSerializer(CatalogModelSerializer):
    component = serializers.SlugRelatedField(slug_field="code", queryset=SKU.objects.all())

    class Meta:
        model = ComponentSpec
        fields = ["component", "quantity", "position"]


class SKUSerializer(CatalogModelSerializer):
    category = serializers.SlugRelatedField(
        slug_field="name", queryset=Category.objects.all(), required=False, allow_null=True
    )
    components = ComponentSpecSerializer(many=True, read_only=True)

    class Meta:
        model = SKU
        fields = [
            "id",
            "code",
            "name",
            "category",
            "gtin",
            "serialized",
            "serial_pattern",
            "serial_max_length",
            "enforce_pattern",
            "warranty_months",
            "warranty_start",
            "active",
            "components",
        ]


class BatchSerializer(CatalogModelSerializer):
    sku = serializers.SlugRelatedField(slug_field="code", queryset=SKU.objects.all())

    class Meta:
        model = Batch
        fields = [
            "id",
            "sku",
            "code",
            "production_date",
            "factory",
            "line",
            "supplier",
            "quantity",
            "qc_status",
        ]
