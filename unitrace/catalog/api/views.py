"""Master data over the API: every write is validated by the model and change-logged."""

from rest_framework import viewsets

from unitrace.catalog.api.serializers import BatchSerializer, SKUSerializer
from unitrace.catalog.models import SKU, Batch
from unitrace.core.api import ActorMixin
from unitrace.core.audit import delete_with_log, save_with_log


def crud_perms(app: str, model: str) -> dict[str, str]:
    return {
        "list": f"{app}.view_{model}",
        "retrieve": f"{app}.view_{model}",
        "create": f"{app}.add_{model}",
        "update": f"{app}.change_{model}",
        "partial_update": f"{app}.change_{model}",
        "destroy": f"{app}.delete_{model}",
    }


class LoggedModelViewSet(ActorMixin, viewsets.ModelViewSet):
    """Model validation (``full_clean``) and a change-log row on every write."""

    def perform_create(self, serializer):
        serializer.instance = save_with_log(serializer.Meta.model(**serializer.validated_data))

    def perform_update(self, serializer):
        instance = serializer.instance
        for key, value in serializer.validated_data.items():
            setattr(instance, key, value)
        save_with_log(instance)

    def perform_destroy(self, instance):
        delete_with_log(instance)


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
