"""Sell-through over the API (returns and exchanges are in ``unitrace.service.api``)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from unitrace.core.api import ActorMixin
from unitrace.parties.masking import query_filters, record_customer_read, record_pii_read
from unitrace.parties.models import Party
from unitrace.parties.regions import Region
from unitrace.parties.services import find_or_create_customer
from unitrace.sales.api.orders import by_code
from unitrace.sales.api.schema import SalesSchema
from unitrace.sales.api.serializers import SellThroughInputSerializer
from unitrace.sales.models import SellThrough
from unitrace.sales.output import sell_through_dict
from unitrace.sales.selectors import sell_throughs_for, unit_by_code
from unitrace.sales.sellthrough import record_sell_through
from unitrace.serials.selectors import scope_party


class ListRetrieveViewSet(ActorMixin, viewsets.GenericViewSet):
    """List and retrieve built from a plain-dict ``shape`` (the sales and service APIs)."""

    schema = SalesSchema()
    shape = staticmethod(lambda obj, user: {})
    # (what, the row's party attribute): a list naming customers is an audited read
    customer_read: tuple[str, str] | None = None

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        if self.customer_read is not None:
            what, attribute = self.customer_read
            record_customer_read(
                request.user,
                self.get_queryset().model,
                [getattr(obj, attribute) for obj in page],
                rows=len(page),
                filters=query_filters(request.query_params),
                what=what,
            )
        return self.get_paginated_response([self.shape(obj, request.user) for obj in page])

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def retrieve(self, request, pk=None):
        return Response(self.shape(get_object_or_404(self.get_queryset(), pk=pk), request.user))


def visible_unit(user, code: str, sku: str = "", field: str = "serial"):
    """A unit the user may see, else 404: another party's unit does not exist for them."""
    unit, problem = unit_by_code(user, code, sku)
    if unit is None:
        raise NotFound({field: [problem]})
    return unit


class SellThroughViewSet(ListRetrieveViewSet):
    """A distributor's sale to an end customer; a distributor login sells only its units."""

    schema = SalesSchema()
    error_statuses = ("404",)  # a serial that names no unit the login may see

    serializer_class = SellThroughInputSerializer
    shape = staticmethod(sell_through_dict)
    perms_map = {
        "list": "sales.view_sellthrough",
        "retrieve": "sales.view_sellthrough",
        "create": "sales.add_sellthrough",
    }

    def get_queryset(self):
        return sell_throughs_for(self.request.user).order_by("-sold_at", "-pk")

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        record_pii_read(
            request.user,
            SellThrough,
            rows=len(page),
            filters=request.query_params.dict(),
            what="api:sell-through",
        )
        return self.get_paginated_response([self.shape(obj, request.user) for obj in page])

    @extend_schema(request=SellThroughInputSerializer, responses=OpenApiTypes.OBJECT)
    def create(self, request):
        data = SellThroughInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        distributor = scope_party(request.user)
        if distributor is None:
            if not v.get("distributor"):
                raise ValidationError({"distributor": [_("give the distributor's code")]})
            distributor = by_code(
                Party,
                v["distributor"],
                "distributor",
                _("unknown distributor '%(code)s'"),
                kind=Party.Kind.DISTRIBUTOR,
            )
        unit = visible_unit(request.user, v["serial"], v.get("sku", ""))
        given = Region(v.get("province", ""), v.get("city", ""), v.get("district", ""))
        if v.get("customer"):
            if scope_party(request.user) is not None:
                raise ValidationError(
                    {"customer": [_("give the customer's name and phone instead of a code")]}
                )
            customer = by_code(
                Party,
                v["customer"],
                "customer",
                _("unknown customer '%(code)s'"),
                kind=Party.Kind.CUSTOMER,
            )
            # A customer picked by code: its record's region unless one is given.
            region = given if given.province else None
            name, phone = "", ""
        elif v.get("customer_name"):
            customer = find_or_create_customer(
                v["customer_name"],
                v.get("customer_phone", ""),
                province=given.province,
                city=given.city,
                district=given.district,
                address=v.get("address", ""),
            )
            region, name, phone = given, v["customer_name"], v.get("customer_phone", "")
        else:
            raise ValidationError({"customer_name": [_("give the customer's name")]})
        sale = record_sell_through(
            distributor,
            unit,
            customer,
            region=region,
            customer_name=name,
            customer_phone=phone,
            when=v.get("time"),
            user=request.user,
        )
        return Response(sell_through_dict(sale, request.user), status=status.HTTP_201_CREATED)
