"""Warehouses, where every unit is now, and quarantine / block / release."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from unitrace.core.viewsets import LoggedModelViewSet, crud_perms
from unitrace.inventory.api.common import InventoryAPIMixin, units_of
from unitrace.inventory.api.serializers import HoldSerializer, WarehouseSerializer
from unitrace.inventory.holds import hold_units
from unitrace.inventory.selectors import stock_matrix, warehouses_for
from unitrace.places.hierarchy import save_warehouse
from unitrace.places.models import Warehouse

STOCK_PERMS = ["places.view_warehouse", "serials.view_unit"]


class WarehouseViewSet(InventoryAPIMixin, LoggedModelViewSet):
    serializer_class = WarehouseSerializer
    perms_map = {**crud_perms("places", "warehouse"), "stock": STOCK_PERMS}
    filterset_fields = {
        "level": ["exact"],
        "active": ["exact"],
        "parent__code": ["exact"],
        "province": ["exact"],
        "city": ["exact"],
    }
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = save_warehouse(Warehouse(**serializer.validated_data))

    def perform_update(self, serializer):
        for key, value in serializer.validated_data.items():
            setattr(serializer.instance, key, value)
        save_warehouse(serializer.instance)  # the loop check under row locks

    def get_queryset(self):
        return (
            warehouses_for(self.request.user)
            .select_related("parent")
            .prefetch_related("bins")
            .order_by("code")
        )

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def stock(self, request, pk=None):
        """Units here by SKU and status (one GROUP BY), with links to the units themselves."""
        warehouse = get_object_or_404(self.get_queryset(), pk=pk)
        matrix = stock_matrix(warehouse)
        units_url = request.build_absolute_uri("/api/v1/units/")

        def link(sku_code: str, status: str) -> str:
            query = {"warehouse": warehouse.code, "sku": sku_code, "status": status}
            return f"{units_url}?{urlencode(query)}"

        return Response(
            {
                "warehouse": warehouse.code,
                "total": matrix["total"],
                "totals": dict(matrix["totals"]),
                "skus": [
                    {
                        "sku": row["sku"].code,
                        "name": row["sku"].name,
                        "total": row["total"],
                        "statuses": {
                            status: {"units": n, "url": link(row["sku"].code, status)}
                            for status, n in row["cells"]
                            if n
                        },
                    }
                    for row in matrix["rows"]
                ],
                "inbound": [
                    {
                        "transfer": r["transfer__number"],
                        "from": r["transfer__from_warehouse__code"],
                        "sku": r["unit__sku__code"],
                        "units": r["n"],
                    }
                    for r in matrix["inbound"]
                ],
            }
        )


class UnitHoldView(InventoryAPIMixin, APIView):
    """Quarantine, block or release units with a reason (all of them or none)."""

    perms_map = {"post": ["places.hold_units", "serials.view_unit"]}

    @extend_schema(request=HoldSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request):
        data = HoldSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        units = units_of(request, v["serials"])
        count = hold_units(v["action"], units, reason=v["reason"])
        return Response({"action": v["action"], "units": count}, status=201)
