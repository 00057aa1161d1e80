"""Spare parts over the API: stock by lot, the move journal (and its writes), low stock."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from unitrace.catalog.models import SKU
from unitrace.core.viewsets import LoggedModelViewSet, crud_perms
from unitrace.inventory import parts
from unitrace.inventory.alerts import low_stock
from unitrace.inventory.api.common import InventoryAPIMixin
from unitrace.inventory.api.serializers import (
    LowStockSerializer,
    MinStockSerializer,
    PartMoveInputSerializer,
    PartMoveSerializer,
    PartStockSerializer,
)
from unitrace.inventory.models import MinStock, PartMove, PartStock, StockAlert
from unitrace.places.models import Warehouse

Type = PartMove.Type


class PartStockViewSet(InventoryAPIMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    error_statuses = ("404",)  # fefo: a warehouse or part code that names nothing
    serializer_class = PartStockSerializer
    perms_map = {
        "list": "inventory.view_partstock",
        "low": ["inventory.view_partstock", "inventory.view_minstock"],
        "fefo": "inventory.view_partstock",
    }
    filterset_fields = {
        "warehouse__code": ["exact"],
        "sku__code": ["exact"],
        "lot": ["exact"],
        "expiry": ["lt", "lte", "gte"],
        "quantity": ["gt"],
    }

    def get_queryset(self):
        return PartStock.objects.select_related("warehouse", "sku").order_by(
            "warehouse__code", "sku__code", "expiry", "lot"
        )

    @extend_schema(
        operation_id="v1_part_stock_low_retrieve",  # as before the answer was documented
        filters=False,
        parameters=[OpenApiParameter("warehouse", str, description="warehouse code")],
        responses=LowStockSerializer(many=True),
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def low(self, request):
        """Parts below their minimum (usable stock: expired lots do not count)."""
        queryset = MinStock.objects.all()
        if request.query_params.get("warehouse"):
            queryset = queryset.filter(warehouse__code=request.query_params["warehouse"])
        since = {
            (a.warehouse_id, a.sku_id): a.raised_at
            for a in StockAlert.objects.filter(resolved_at__isnull=True)
        }
        return Response(
            [
                {
                    "warehouse": m.warehouse.code,
                    "sku": m.sku.code,
                    "name": m.sku.name,
                    "minimum": m.minimum,
                    "usable": m.usable,
                    "short": m.short,
                    "alert_since": since.get((m.warehouse_id, m.sku_id)),
                }
                for m in low_stock(queryset)
            ]
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("warehouse", str, required=True),
            OpenApiParameter("sku", str, required=True),
            OpenApiParameter("quantity", int, required=True),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=False, methods=["get"])
    def fefo(self, request):
        """Which lots to issue from, earliest expiry first (expired lots left out)."""
        params = request.query_params
        warehouse = get_object_or_404(Warehouse, code=params.get("warehouse", ""))
        sku = get_object_or_404(SKU, code=params.get("sku", ""), serialized=False)
        try:
            quantity = int(params.get("quantity", ""))
        except ValueError:
            raise ValidationError({"quantity": [_("a whole number is required")]})
        plan = parts.suggest_issue(warehouse, sku, quantity)
        return Response(
            {
                "lots": [
                    {"lot": a.stock.lot, "expiry": a.stock.expiry, "quantity": a.quantity}
                    for a in plan
                ],
                "short": quantity - sum(a.quantity for a in plan),
            }
        )


class PartMoveViewSet(
    InventoryAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = PartMoveSerializer
    perms_map = {
        "list": "inventory.view_partmove",
        "retrieve": "inventory.view_partmove",
        "create": "inventory.add_partmove",
    }
    filterset_fields = {
        "type": ["exact"],
        "warehouse__code": ["exact"],
        "sku__code": ["exact"],
        "lot": ["exact"],
        "reference": ["exact"],
    }

    def get_queryset(self):
        return PartMove.objects.select_related("warehouse", "sku", "counterpart").order_by(
            "-occurred_at", "-id"
        )

    @extend_schema(request=PartMoveInputSerializer, responses=PartMoveSerializer(many=True))
    def create(self, request):
        """Receive, issue (FEFO unless a lot is named), transfer, adjust or return parts."""
        data = PartMoveInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        user = request.user
        if v["type"] == Type.ADJUST and not user.has_perm("inventory.adjust_partstock"):
            raise PermissionDenied(_("You may not correct part stock."))
        if v["force"] and not user.has_perm("inventory.issue_expired_parts"):
            raise PermissionDenied(_("You may not issue parts from expired lots."))
        common = {"reference": v["reference"], "reason": v["reason"]}
        lot = v.get("lot") or None
        kind, warehouse, sku, quantity = v["type"], v["warehouse"], v["sku"], v["quantity"]
        if kind in (Type.RECEIVE, Type.RETURN):
            moves = [
                parts.receive_parts(
                    warehouse,
                    sku,
                    quantity,
                    lot=lot or "",
                    expiry=v.get("expiry"),
                    kind=kind,
                    **common,
                )
            ]
        elif kind == Type.ISSUE:
            moves = parts.issue_parts(warehouse, sku, quantity, lot=lot, force=v["force"], **common)
        elif kind == Type.TRANSFER:
            moves = parts.transfer_parts(
                warehouse, v["to_warehouse"], sku, quantity, lot=lot, force=v["force"], **common
            )
        else:
            moves = [
                parts.adjust_parts(
                    warehouse, sku, quantity, lot=lot or "", expiry=v.get("expiry"), **common
                )
            ]
        return Response(PartMoveSerializer(moves, many=True).data, status=status.HTTP_201_CREATED)


class MinStockViewSet(InventoryAPIMixin, LoggedModelViewSet):
    queryset = MinStock.objects.select_related("warehouse", "sku").order_by(
        "warehouse__code", "sku__code"
    )
    serializer_class = MinStockSerializer
    perms_map = crud_perms("inventory", "minstock")
    filterset_fields = {"warehouse__code": ["exact"], "sku__code": ["exact"]}
