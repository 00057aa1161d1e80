"""Transfers over the API: create with serials, dispatch, receive by scanning, close."""

from __future__ import annotations

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from unitrace.inventory import transfers
from unitrace.inventory.api.common import InventoryAPIMixin, bin_of, units_of
from unitrace.inventory.api.serializers import (
    CodesSerializer,
    ReasonSerializer,
    ReceiveSerializer,
    TransferCreateSerializer,
    TransferDetailSerializer,
    TransferSerializer,
)
from unitrace.inventory.models import Transfer


class TransferViewSet(
    InventoryAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    perms_map = {
        "list": "inventory.view_transfer",
        "retrieve": "inventory.view_transfer",
        "create": ["inventory.add_transfer", "serials.view_unit"],
        "units": ["inventory.add_transfer", "serials.view_unit"],
        "cancel": "inventory.add_transfer",
        "dispatch_transfer": "inventory.dispatch_transfer",
        "receive": ["inventory.receive_transfer", "serials.view_unit"],
        "close": "inventory.receive_transfer",
    }
    filterset_fields = {
        "status": ["exact"],
        "from_warehouse__code": ["exact"],
        "to_warehouse__code": ["exact"],
        "number": ["exact"],
    }

    def get_queryset(self):
        queryset = Transfer.objects.select_related("from_warehouse", "to_warehouse").annotate(
            line_count=Count("lines"),
            received_count=Count("lines", filter=Q(lines__received_at__isnull=False)),
        )
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("lines__unit__sku", "lines__received_bin")
        return queryset.order_by("-created_at", "-id")

    def get_serializer_class(self):
        return TransferDetailSerializer if self.action == "retrieve" else TransferSerializer

    def _answer(self, transfer: Transfer, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().prefetch_related("lines__unit__sku").get(pk=transfer.pk)
        return Response(TransferDetailSerializer(fresh).data, status=code)

    @extend_schema(request=TransferCreateSerializer, responses=TransferDetailSerializer)
    def create(self, request):
        """A draft transfer, with its units if ``serials`` are given (all or none)."""
        data = TransferCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        units = units_of(request, v["serials"]) if v.get("serials") else []
        transfer = transfers.create_transfer(
            v["from_warehouse"],
            v["to_warehouse"],
            user=request.user,
            number=v.get("number", ""),
            notes=v.get("notes", ""),
            units=units,
        )
        return self._answer(transfer, status.HTTP_201_CREATED)

    def _transfer(self, pk) -> Transfer:
        return get_object_or_404(Transfer, pk=pk)

    @extend_schema(request=CodesSerializer, responses=TransferDetailSerializer)
    @action(detail=True, methods=["post"])
    def units(self, request, pk=None):
        """Add units to a draft."""
        transfer = self._transfer(pk)
        data = CodesSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        transfers.add_units(
            transfer, units_of(request, data.validated_data["serials"]), user=request.user
        )
        return self._answer(transfer)

    @extend_schema(request=None, responses=TransferDetailSerializer)
    @action(detail=True, methods=["post"], url_path="dispatch")
    def dispatch_transfer(self, request, pk=None):
        """Every unit leaves (``transfer_out``), or none does."""
        transfer = transfers.dispatch_transfer(self._transfer(pk), user=request.user)
        return self._answer(transfer)

    @extend_schema(request=ReceiveSerializer, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post"])
    def receive(self, request, pk=None):
        """Units scanned at the destination; a unit not on the transfer refuses the call."""
        transfer = self._transfer(pk)
        data = ReceiveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        units = units_of(request, v["serials"])
        receipt = transfers.receive_units(
            transfer, units, user=request.user, bin=bin_of(transfer.to_warehouse, v.get("bin"))
        )
        return Response(
            {
                "status": receipt.transfer.status,
                "received": [u.serial for u in receipt.received],
                "already_received": [u.serial for u in receipt.already],
                "remaining": receipt.remaining,
            }
        )

    @extend_schema(request=ReasonSerializer, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Stop waiting: the units not received are reported missing with the reason."""
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        missing = transfers.close_receipt(
            self._transfer(pk), reason=data.validated_data["reason"], user=request.user
        )
        return Response({"missing": [u.serial for u in missing]})

    @extend_schema(request=None, responses=TransferDetailSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._answer(transfers.cancel_transfer(self._transfer(pk)))
