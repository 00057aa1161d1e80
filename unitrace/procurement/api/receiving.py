"""The supplier's serial list and receiving, as actions of ``/purchase-orders/{id}/``."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from unitrace.core.api_views import job_payload, job_refusal
from unitrace.core.jobs import submit_job
from unitrace.core.parsers import FormParser, JSONParser, MultiPartParser
from unitrace.core.tabular import runs_in_request
from unitrace.core.uploads import read_upload
from unitrace.procurement import asn as asn_service
from unitrace.procurement.api.serializers import (
    AsnInput,
    AsnRowSerializer,
    ReceiptSerializer,
    ReceiveInput,
)
from unitrace.procurement.jobs import ASN_IMPORT, RECEIVE_FILE
from unitrace.procurement.models import PurchaseOrder
from unitrace.procurement.receipts import open_receipt
from unitrace.procurement.receiving import receive_scan
from unitrace.procurement.receiving_bulk import receive_codes, receive_file, receive_range

PARSERS = [JSONParser, MultiPartParser, FormParser]


def _job_response(job) -> Response:
    if job.status == job.Status.FAILED:
        return Response(job_refusal(job), status=status.HTTP_400_BAD_REQUEST)
    body = job_payload(job)
    if not job.finished:
        return Response(body, status=status.HTTP_202_ACCEPTED)
    return Response(body, status=status.HTTP_201_CREATED)


class ReceivingActions:
    """ASN import, receiving (one scan or many) and the order's receipts."""

    perms_map = {
        "asn": "procurement.view_expectedserial",
        "import_asn": "procurement.add_expectedserial",
        "clear_asn": "procurement.delete_expectedserial",
        "receive": "procurement.receive_purchaseorder",
        "receipts": "procurement.view_receipt",
    }

    @extend_schema(responses=AsnRowSerializer(many=True))
    @action(detail=True, methods=["get"], parser_classes=PARSERS)
    def asn(self, request, pk=None):
        """The supplier's serial list of this order (paginated; ``?received=0|1``)."""
        order = self.get_order(pk)
        rows = order.expected_serials.select_related("sku", "batch", "receipt").order_by("pk")
        received = request.query_params.get("received")
        if received in ("0", "1"):
            rows = rows.filter(receipt__isnull=received == "0")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(AsnRowSerializer(page, many=True).data)

    @extend_schema(request=AsnInput, responses=OpenApiTypes.OBJECT)
    @asn.mapping.post
    def import_asn(self, request, pk=None):
        """Add serials to the list: JSON ``rows`` / ``serials`` + ``sku``, or a ``file``.

        400 with ``errors`` (row, field, value, message) when refused; nothing is stored.
        """
        order = self.get_order(pk)
        data = AsnInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        if v.get("file") is not None:
            content = read_upload(v["file"])
            if not runs_in_request(content, v["file"].name):
                job = submit_job(
                    ASN_IMPORT,
                    user=request.user,
                    input_name=v["file"].name,
                    input_data=content,
                    params={"order": order.pk, "mode": v["mode"]},
                )
                return _job_response(job)
            call = lambda: asn_service.import_asn_file(  # noqa: E731
                order, content, v["file"].name, mode=v["mode"]
            )
        else:
            if v.get("serials") is not None:
                rows = [{"serial": s, "sku": v["sku"]} for s in v["serials"]]
            else:
                rows = v["rows"]
            call = lambda: asn_service.import_asn_rows(  # noqa: E731
                order, list(enumerate(rows, 1)), mode=v["mode"]
            )
        return Response(call().as_dict(), status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=OpenApiTypes.OBJECT)
    @asn.mapping.delete
    def clear_asn(self, request, pk=None):
        """Remove the serials that have not arrived yet (a corrected list follows)."""
        return Response({"deleted": asn_service.clear_asn(self.get_order(pk))})

    @extend_schema(request=ReceiveInput, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post"], parser_classes=PARSERS)
    def receive(self, request, pk=None):
        """Receive goods: ``code`` (one scan) or ``codes`` / ``range`` / ``file`` (bulk).

        One scan always answers 200 with ``{outcome, ok, message, counts}``: refusals
        (duplicate, unknown, wrong_sku, over_quantity, invalid) are answers, not errors.
        Bulk is all or nothing: 201 with the figures, or 400 with ``errors`` per row.
        ``warehouse`` defaults to the order's; ``sku`` helps when a code names no SKU.
        """
        order = self.get_order(pk)
        data = ReceiveInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        warehouse = v.get("warehouse") or order.warehouse
        if warehouse is None:
            raise ValidationError({"warehouse": [_("This order has no warehouse; give one.")]})
        receipt = open_receipt(order, warehouse, request.user)
        sku = v.get("sku")
        if v.get("code") is not None:
            return Response(receive_scan(receipt, v["code"], sku=sku).as_dict())
        if v.get("codes") is not None:
            result = receive_codes(receipt, v["codes"], sku=sku)
        elif v.get("range") is not None:
            result = receive_range(receipt, v["range"], sku=sku)
        else:
            content = read_upload(v["file"])
            if not runs_in_request(content, v["file"].name):
                job = submit_job(
                    RECEIVE_FILE,
                    user=request.user,
                    input_name=v["file"].name,
                    input_data=content,
                    params={"receipt": receipt.pk, "sku": sku.pk if sku else None},
                )
                return _job_response(job)
            result = receive_file(receipt, content, v["file"].name, sku=sku)
        return Response(
            {"receipt": receipt.number, **result.as_dict()}, status=status.HTTP_201_CREATED
        )

    @extend_schema(responses=ReceiptSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)  # the whole list, unpaged
    def receipts(self, request, pk=None):
        order: PurchaseOrder = self.get_order(pk)
        rows = order.receipts.select_related("order", "warehouse", "opened_by")
        return Response(ReceiptSerializer(rows, many=True).data)
