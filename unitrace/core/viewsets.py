"""The API's base for master data: model validation and a change-log row on every write."""

from __future__ import annotations

from rest_framework import viewsets

from unitrace.core.api import ActorMixin
from unitrace.core.audit import delete_with_log, save_with_log


def crud_perms(app: str, model: str) -> dict[str, str]:
    """The ``perms_map`` of a plain CRUD viewset: Django's view/add/change/delete perms."""
    return {
        "list": f"{app}.view_{model}",
        "retrieve": f"{app}.view_{model}",
        "create": f"{app}.add_{model}",
        "update": f"{app}.change_{model}",
        "partial_update": f"{app}.change_{model}",
        "destroy": f"{app}.delete_{model}",
    }


class LoggedWritesMixin:
    """Model validation (``full_clean``) and a change-log row on every write.

    Put it before DRF's mixins. ``create_fields`` are set on every new row whatever the
    client sent (e.g. a party's kind).
    """

    create_fields: dict = {}

    def perform_create(self, serializer):
        serializer.instance = save_with_log(
            serializer.Meta.model(**self.create_fields, **serializer.validated_data)
        )

    def perform_update(self, serializer):
        instance = serializer.instance
        for key, value in serializer.validated_data.items():
            setattr(instance, key, value)
        save_with_log(instance)

    def perform_destroy(self, instance):
        delete_with_log(instance)


class LoggedModelViewSet(ActorMixin, LoggedWritesMixin, viewsets.ModelViewSet):
    """Full CRUD of master data, every write validated and change-logged."""
