"""Sales orders and deliveries over the API. Thin: parse, call the service, shape."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from unitrace.catalog.models import SKU
from unitrace.core.api import ActorMixin
from unitrace.core.parsers import FormParser, JSONParser, MultiPartParser
from unitrace.core.pdf_fonts import PdfFontMissing
from unitrace.core.uploads import read_upload
from unitrace.parties.masking import query_filters, record_customer_read
from unitrace.parties.models import Party
from unitrace.places.models import Warehouse
from unitrace.sales.api.schema import SalesSchema
from unitrace.sales.api.serializers import DeliveryInputSerializer, OrderInputSerializer
from unitrace.sales.delivery import deliver_order
from unitrace.sales.models import Delivery, SalesChannel, SalesOrder
from unitrace.sales.notes import delivery_note_pdf
from unitrace.sales.orders import cancel_order, create_order
from unitrace.sales.output import delivery_dict, order_dict
from unitrace.sales.scanning import rows_from_file, rows_from_list
from unitrace.sales.selectors import deliveries_for, orders_for


def by_code(model, code: str, field: str, message: str, **filters):
    found = model.objects.filter(code=code, **filters).first()
    if found is None:
        raise ValidationError({field: [message % {"code": code}]})
    return found


class SalesOrderViewSet(ActorMixin, viewsets.GenericViewSet):
    """Orders of customers and distributors; status follows the deliveries."""

    schema = SalesSchema()

    serializer_class = OrderInputSerializer
    perms_map = {
        "list": "sales.view_salesorder",
        "retrieve": "sales.view_salesorder",
        "create": "sales.add_salesorder",
        "cancel": "sales.change_salesorder",
    }

    def get_queryset(self):
        queryset = orders_for(self.request.user).order_by("-created_at", "-pk")
        params = self.request.query_params
        if params.get("status"):
            queryset = queryset.filter(status=params["status"])
        if params.get("buyer"):
            queryset = queryset.filter(buyer__code=params["buyer"])
        return queryset

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        record_customer_read(
            request.user,
            SalesOrder,
            [o.buyer for o in page],
            rows=len(page),
            filters=query_filters(request.query_params),
            what="api:sales-orders",
        )
        return self.get_paginated_response([order_dict(o, request.user) for o in page])

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def retrieve(self, request, pk=None):
        order = get_object_or_404(self.get_queryset(), pk=pk)
        return Response(order_dict(order, request.user, detail=True))

    @extend_schema(request=OrderInputSerializer, responses=OpenApiTypes.OBJECT)
    def create(self, request):
        data = OrderInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        buyer = by_code(Party, v["buyer"], "buyer", _("unknown customer or distributor '%(code)s'"))
        channel = None
        if v.get("channel"):
            channel = by_code(
                SalesChannel, v["channel"], "channel", _("unknown channel '%(code)s'")
            )
        lines = [
            (by_code(SKU, line["sku"], "lines", _("unknown SKU '%(code)s'")), line["quantity"])
            for line in v["lines"]
        ]
        prices = {
            sku.pk: line.get("unit_price")
            for (sku, _quantity), line in zip(lines, v["lines"], strict=True)
            if line.get("unit_price") is not None
        }
        order = create_order(
            buyer,
            lines,
            channel=channel,
            customer_ref=v.get("customer_ref", ""),
            notes=v.get("notes", ""),
            user=request.user,
            prices=prices,
        )
        return Response(order_dict(order, request.user, detail=True), status=201)

    @extend_schema(request=None, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        order = cancel_order(get_object_or_404(self.get_queryset(), pk=pk))
        return Response(order_dict(order, request.user, detail=True))


class DeliveryViewSet(ActorMixin, viewsets.GenericViewSet):
    """Deliveries (出库/交付): POST serials → 201, or 400 with ``rows`` and nothing done."""

    schema = SalesSchema()

    serializer_class = DeliveryInputSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    perms_map = {
        "list": "sales.view_delivery",
        "retrieve": "sales.view_delivery",
        "create": "sales.add_delivery",
        "note_pdf": "sales.view_delivery",
    }

    def get_queryset(self):
        queryset = deliveries_for(self.request.user).order_by("-delivered_at", "-pk")
        if self.request.query_params.get("order"):
            queryset = queryset.filter(order__number=self.request.query_params["order"])
        return queryset

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        record_customer_read(
            request.user,
            Delivery,
            [d.buyer for d in page],
            rows=len(page),
            filters=query_filters(request.query_params),
            what="api:deliveries",
        )
        return self.get_paginated_response([delivery_dict(d, request.user) for d in page])

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def retrieve(self, request, pk=None):
        delivery = get_object_or_404(self.get_queryset(), pk=pk)
        return Response(delivery_dict(delivery, request.user, detail=True))

    @extend_schema(request=DeliveryInputSerializer, responses=OpenApiTypes.OBJECT)
    def create(self, request):
        data = DeliveryInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        orders = orders_for(request.user)
        ref = v["order"].strip()
        order = orders.filter(number=ref).first()
        if order is None and ref.isdigit():
            order = orders.filter(pk=int(ref)).first()
        if order is None:
            raise ValidationError({"order": [_("unknown order '%(ref)s'") % {"ref": ref}]})
        warehouse = by_code(
            Warehouse, v["warehouse"], "warehouse", _("unknown warehouse '%(code)s'"), active=True
        )
        if v.get("file") is not None:
            upload = v["file"]
            rows = rows_from_file(read_upload(upload), upload.name)
        else:
            rows = rows_from_list(v.get("serials") or [])
        delivery = deliver_order(
            order,
            warehouse,
            rows,
            when=v.get("time"),
            notes=v.get("notes", ""),
            user=request.user,
            carrier=v.get("carrier", ""),
            tracking_number=v.get("tracking_number", ""),
        )
        return Response(
            delivery_dict(delivery, request.user, detail=True), status=status.HTTP_201_CREATED
        )

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="note.pdf")
    def note_pdf(self, request, pk=None):
        delivery = get_object_or_404(self.get_queryset(), pk=pk)
        try:
            content = delivery_note_pdf(delivery, request.user)
        except PdfFontMissing as missing:  # the server's setup, said in the one error body
            return Response(missing.as_body(), status=missing.status)
        response = HttpResponse(content, "application/pdf")
        response["Content-Disposition"] = f'inline; filename="{delivery.number}.pdf"'
        return response
