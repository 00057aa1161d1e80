"""Master data over the API: every write is validated by the model and change-logged."""

from unitrace.catalog.api.serializers import BatchSerializer, SKUSerializer
from unitrace.catalog.models import SKU, Batch
from unitrace.core.viewsets import LoggedModelViewSet, crud_perms


class SKUViewSet(LoggedModelViewSet):
    queryset = SKU.objects.select_related("category").prefetch_related("components__component")
    serializer_class = SKUSerializer
    perms_map = crud_perms("catalog", "sku")
    filterset_fields = ["code", "gtin", "serialized", "active"]


class BatchViewSet(LoggedModelViewSet):
    queryset = Batch.objects.select_related("sku")
    serializer_class = BatchSerializer
    perms_map = crud_perms("catalog", "batch")
    filterset_fields = {"sku__code": ["exact"], "code": ["exact"], "qc_status": ["exact"]}
