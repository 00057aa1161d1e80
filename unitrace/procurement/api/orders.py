"""Purchase orders over the API: CRUD, lines and status (ASN and receiving: ``receiving``)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from unitrace.core.api import ActorMixin
from unitrace.procurement import orders as services
from unitrace.procurement.api.receiving import ReceivingActions
from unitrace.procurement.api.serializers import (
    LineSerializer,
    LineUpdateSerializer,
    OrderSerializer,
    OrderUpdateSerializer,
)
from unitrace.procurement.models import PurchaseOrder
from unitrace.procurement.selectors import orders_visible_to

VIEW = "procurement.view_purchaseorder"
CHANGE = "procurement.change_purchaseorder"


class PurchaseOrderViewSet(ReceivingActions, ActorMixin, viewsets.ModelViewSet):
    """Orders with their lines. Status moves by ``open``, ``close`` and ``cancel``."""

    serializer_class = OrderSerializer
    filterset_fields = {
        "status": ["exact", "in"],
        "number": ["exact", "startswith"],
        "supplier__code": ["exact"],
        "order_date": ["gte", "lte"],
    }
    perms_map = {
        "list": VIEW,
        "retrieve": VIEW,
        "create": "procurement.add_purchaseorder",
        "update": CHANGE,
        "partial_update": CHANGE,
        "destroy": "procurement.delete_purchaseorder",
        "lines": VIEW,
        "add_line": CHANGE,
        "line": CHANGE,
        "delete_line": CHANGE,
        "open": CHANGE,
        "close": CHANGE,
        "cancel": CHANGE,
        **ReceivingActions.perms_map,
    }

    def get_queryset(self):
        return (
            orders_visible_to(self.request.user)
            .select_related("supplier", "warehouse", "created_by")
            .prefetch_related("lines__sku")
            .order_by("-order_date", "-id")
        )

    def get_order(self, pk) -> PurchaseOrder:
        """The order alone (no lines): what the actions start from."""
        visible = orders_visible_to(self.request.user).select_related("supplier", "warehouse")
        return get_object_or_404(visible, pk=pk)

    def _body(self, order: PurchaseOrder, code=status.HTTP_200_OK) -> Response:
        fresh = get_object_or_404(self.get_queryset(), pk=order.pk)
        return Response(OrderSerializer(fresh).data, status=code)

    def perform_create(self, serializer):  # pragma: no cover - create() is overridden
        raise NotImplementedError

    def create(self, request, *args, **kwargs):
        data = OrderSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        order = services.create_order(
            v["supplier"],
            [services.LineInput(**line) for line in v["lines"]],
            number=v.get("number", ""),
            warehouse=v.get("warehouse"),
            order_date=v.get("order_date"),
            currency=v.get("currency", "CNY"),
            notes=v.get("notes", ""),
            user=request.user,
        )
        return self._body(order, status.HTTP_201_CREATED)

    @extend_schema(request=OrderUpdateSerializer, responses=OrderSerializer)
    def update(self, request, pk=None, partial=False):
        order = self.get_order(pk)
        data = OrderUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.update_order(order, **data.validated_data)
        return self._body(order)

    def partial_update(self, request, pk=None):
        return self.update(request, pk, partial=True)

    def destroy(self, request, pk=None):
        services.delete_order(self.get_order(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses=LineSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)  # the whole list, unpaged
    def lines(self, request, pk=None):
        order = self.get_order(pk)
        return Response(LineSerializer(order.lines.select_related("sku"), many=True).data)

    @extend_schema(request=LineSerializer, responses=LineSerializer)
    @lines.mapping.post
    def add_line(self, request, pk=None):
        order = self.get_order(pk)
        data = LineSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        line = services.add_line(order, services.LineInput(**data.validated_data))
        return Response(LineSerializer(line).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=LineUpdateSerializer, responses=LineSerializer)
    @action(detail=True, methods=["patch"], url_path="lines/<int:line_id>")
    def line(self, request, pk=None, line_id=None):
        order = self.get_order(pk)
        line = get_object_or_404(order.lines.all(), pk=line_id)
        data = LineUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        line = services.update_line(line, **data.validated_data)
        return Response(LineSerializer(line).data)

    @extend_schema(request=None, responses={204: None})
    @line.mapping.delete
    def delete_line(self, request, pk=None, line_id=None):
        order = self.get_order(pk)
        services.delete_line(get_object_or_404(order.lines.all(), pk=line_id))
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _status(self, request, pk, name: str) -> Response:
        order = services.STATUS_ACTIONS[name](self.get_order(pk))
        return self._body(order)

    @extend_schema(request=None, responses=OrderSerializer)
    @action(detail=True, methods=["post"])
    def open(self, request, pk=None):
        """Draft → open: goods may now be received."""
        return self._status(request, pk, "open")

    @extend_schema(request=None, responses=OrderSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """No more goods expected; open receipts are closed too."""
        return self._status(request, pk, "close")

    @extend_schema(request=None, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._status(request, pk, "cancel")
