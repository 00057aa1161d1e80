from rest_framework import serializers

from unitrace.catalog.models import SKU, Batch, Category, ComponentSpec


class ComponentSpecSerializer(serializers.ModelSerializer):
    component = serializers.SlugRelatedField(slug_field="code", queryset=SKU.objects.all())

    class Meta:
        model = ComponentSpec
        fields = ["component", "quantity", "position"]


class SKUSerializer(serializers.ModelSerializer):
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


class BatchSerializer(serializers.ModelSerializer):
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
