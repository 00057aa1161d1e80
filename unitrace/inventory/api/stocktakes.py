"""Stocktakes over the API: open, scan (one code or a handheld's batch), report, close."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from unitrace.inventory import stocktakes
from unitrace.inventory.api.common import InventoryAPIMixin, bin_of
from unitrace.inventory.api.serializers import (
    CloseSerializer,
    ScanSerializer,
    StocktakeOpenSerializer,
    StocktakeSerializer,
)
from unitrace.inventory.models import Stocktake
from unitrace.inventory.stocktakes.closing import close_stocktake, stocktake_report
from unitrace.serials.selectors import units_visible_to

REPORT_FIELDS = (
    "unit_id",
    "unit__serial",
    "unit__sku__code",
    "unit__status",
    "unit__warehouse__code",
    "unit__bin__code",
    "book_bin__code",
    "counted_bin__code",
    "counted_at",
    "counted_by__username",
    "scans",
)


class StocktakeViewSet(
    InventoryAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = StocktakeSerializer
    perms_map = {
        "list": "inventory.view_stocktake",
        "retrieve": "inventory.view_stocktake",
        "create": "inventory.add_stocktake",
        "scan": ["inventory.count_stocktake", "serials.view_unit"],
        "report": "inventory.view_stocktake",
        "close": "inventory.close_stocktake",
        "cancel": "inventory.close_stocktake",
    }
    filterset_fields = {"status": ["exact"], "warehouse__code": ["exact"], "number": ["exact"]}

    def get_queryset(self):
        return Stocktake.objects.select_related("warehouse", "opened_by", "closed_by").order_by(
            "-opened_at", "-id"
        )

    @extend_schema(request=StocktakeOpenSerializer, responses=StocktakeSerializer)
    def create(self, request):
        """Open a count: the units the ledger places in the warehouse become the book."""
        data = StocktakeOpenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        stocktake = stocktakes.open_stocktake(v["warehouse"], user=request.user, notes=v["notes"])
        return Response(StocktakeSerializer(stocktake).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ScanSerializer, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post"])
    def scan(self, request, pk=None):
        """One scan (``code``) or a batch (``codes``); repeats are noted, never counted twice."""
        stocktake = get_object_or_404(self.get_queryset(), pk=pk)
        data = ScanSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        common = {
            "user": request.user,
            "bin": bin_of(stocktake.warehouse, v.get("bin")),
            "units": units_visible_to(request.user),
        }
        if v.get("code"):
            return Response(stocktakes.scan(stocktake, v["code"], **common).as_dict())
        batch = stocktakes.scan_many(stocktake, v["codes"], **common)
        return Response(
            {
                "counted": batch.counted,
                "book": batch.book,
                "scans": batch.scans,
                "outcomes": batch.totals(),
                "results": [r.as_dict() for r in batch.results],
            }
        )

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def report(self, request, pk=None):
        """Missing, unexpected, misplaced (and changed) units, with the adjustment each takes."""
        stocktake = get_object_or_404(self.get_queryset(), pk=pk)
        report = stocktake_report(stocktake, limit=None)
        return Response(
            {
                "number": stocktake.number,
                "closed": report["closed"],
                "counts": report["counts"],
                **{
                    category: [
                        {
                            **{k: line.get(k) for k in REPORT_FIELDS},
                            "action": line["action"],
                            "note": line["note"],
                            "adjustment": line.get("adjustment", ""),
                        }
                        for line in lines
                    ]
                    for category, lines in report["lines"].items()
                },
            }
        )

    @extend_schema(request=CloseSerializer, responses=StocktakeSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close and post the chosen adjustments: ``"all"`` or unit ids per category."""
        stocktake = get_object_or_404(self.get_queryset(), pk=pk)
        data = CloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        adjust = {k: v[k] for k in ("missing", "unexpected", "misplaced") if k in v}
        closed = close_stocktake(stocktake, user=request.user, reason=v["reason"], adjust=adjust)
        return Response(StocktakeSerializer(closed).data)

    @extend_schema(request=None, responses=StocktakeSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        stocktake = get_object_or_404(self.get_queryset(), pk=pk)
        cancelled = stocktakes.cancel_stocktake(stocktake, user=request.user)
        return Response(StocktakeSerializer(cancelled).data)
