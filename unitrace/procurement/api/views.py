"""Receipts, suspected counterfeits, suppliers and their quality figures over the API."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from unitrace.core.api import ActorMixin
from unitrace.core.dates import parse_iso_day
from unitrace.core.viewsets import LoggedWritesMixin
from unitrace.procurement.api.serializers import (
    DecisionInput,
    ReceiptSerializer,
    SupplierSerializer,
    SuspectSerializer,
)
from unitrace.procurement.receipts import close_receipt
from unitrace.procurement.selectors import (
    receipts_visible_to,
    supplier_quality,
    suppliers_visible_to,
    suspects_visible_to,
)
from unitrace.procurement.suspects import decide


class ReceiptViewSet(ActorMixin, viewsets.ReadOnlyModelViewSet):
    """Receipts with their tallies (scanned, accepted, refused by reason, suspected)."""

    serializer_class = ReceiptSerializer
    filterset_fields = {
        "order__number": ["exact"],
        "status": ["exact"],
        "warehouse__code": ["exact"],
        "opened_at": ["gte", "lte"],
    }
    perms_map = {
        "list": "procurement.view_receipt",
        "retrieve": "procurement.view_receipt",
        "close": "procurement.change_receipt",
    }

    def get_queryset(self):
        return receipts_visible_to(self.request.user).select_related(
            "order", "warehouse", "opened_by"
        )

    @extend_schema(request=None, responses=ReceiptSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        receipt = close_receipt(get_object_or_404(self.get_queryset(), pk=pk))
        return Response(ReceiptSerializer(self.get_queryset().get(pk=receipt.pk)).data)


class SuspectUnitViewSet(ActorMixin, viewsets.ReadOnlyModelViewSet):
    """Units received off the supplier's list, quarantined until someone decides."""

    serializer_class = SuspectSerializer
    filterset_fields = {
        "decision": ["exact"],
        "order__number": ["exact"],
        "order__supplier__code": ["exact"],
    }
    perms_map = {
        "list": "procurement.view_suspectunit",
        "retrieve": "procurement.view_suspectunit",
        "decide": "procurement.decide_suspectunit",
    }

    def get_queryset(self):
        return (
            suspects_visible_to(self.request.user)
            .select_related("unit__sku", "order__supplier", "receipt", "decided_by")
            .order_by("-created_at", "-id")
        )

    @extend_schema(request=DecisionInput, responses=SuspectSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """``accepted`` releases the unit to stock; ``rejected`` (with notes) blocks it."""
        suspect = get_object_or_404(self.get_queryset(), pk=pk)
        data = DecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        decide(
            suspect,
            data.validated_data["decision"],
            user=request.user,
            notes=data.validated_data["notes"],
        )
        return Response(SuspectSerializer(self.get_queryset().get(pk=suspect.pk)).data)


FROM = OpenApiParameter("from", OpenApiTypes.DATE, description="receipts opened on or after")
TO = OpenApiParameter("to", OpenApiTypes.DATE, description="receipts opened on or before")
SUPPLIER = OpenApiParameter("supplier", OpenApiTypes.STR, description="supplier code")


def _date(request, name: str):
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None
    value = parse_iso_day(raw)
    if value is None:  # malformed, or impossible (2026-02-30)
        raise ValidationError(
            {name: [_("'%(value)s' is not a date (use YYYY-MM-DD)") % {"value": raw}]}
        )
    return value


class SupplierViewSet(
    ActorMixin,
    LoggedWritesMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Suppliers are parties of kind ``supplier``; every write is change-logged."""

    error_statuses = ("404",)  # quality: a supplier code that names no visible supplier
    create_fields = {"kind": "supplier"}

    serializer_class = SupplierSerializer
    filterset_fields = {"code": ["exact"], "active": ["exact"], "name": ["icontains"]}
    perms_map = {
        "list": "parties.view_party",
        "retrieve": "parties.view_party",
        "create": "parties.add_party",
        "update": "parties.change_party",
        "partial_update": "parties.change_party",
        "quality": "procurement.view_supplier_quality",
    }

    def get_queryset(self):
        return suppliers_visible_to(self.request.user).order_by("code")

    @extend_schema(parameters=[FROM, TO, SUPPLIER], responses=OpenApiTypes.OBJECT)
    @action(detail=False, methods=["get"])
    def quality(self, request):
        """Per supplier: scans by outcome, refusal and suspect rates, decisions."""
        start, end = _date(request, "from"), _date(request, "to")
        supplier = None
        code = request.query_params.get("supplier", "").strip()
        if code:
            supplier = get_object_or_404(suppliers_visible_to(request.user), code=code)
        rows = supplier_quality(request.user, start=start, end=end, supplier=supplier)
        return Response({"from": start, "to": end, "suppliers": rows}, status=status.HTTP_200_OK)
