"""Sell-through, returns (RMA) and exchanges over the API."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from unitrace.core.api import ActorMixin
from unitrace.parties.models import Party
from unitrace.parties.regions import Region
from unitrace.places.models import Warehouse
from unitrace.sales.api.orders import by_code
from unitrace.sales.api.schema import SalesSchema
from unitrace.sales.api.serializers import (
    ExchangeInputSerializer,
    InspectInputSerializer,
    ReturnInputSerializer,
    SellThroughInputSerializer,
)
from unitrace.sales.output import exchange_dict, rma_dict, sell_through_dict
from unitrace.sales.parties import find_or_create_customer
from unitrace.sales.returns import ReturnRefused, create_return, exchange_unit, inspect
from unitrace.sales.scanning import RowError
from unitrace.sales.selectors import exchanges_for, rmas_for, sell_throughs_for, unit_by_code
from unitrace.sales.sellthrough import record_sell_through
from unitrace.serials.selectors import scope_party


class _ListRetrieve(ActorMixin, viewsets.GenericViewSet):
    schema = SalesSchema()
    shape = staticmethod(lambda obj, user: {})

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([self.shape(obj, request.user) for obj in page])

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def retrieve(self, request, pk=None):
        return Response(self.shape(get_object_or_404(self.get_queryset(), pk=pk), request.user))


def _unit(user, code: str, sku: str = "", field: str = "serial"):
    """A unit the user may see, else 404: another party's unit does not exist for them."""
    unit, problem = unit_by_code(user, code, sku)
    if unit is None:
        raise NotFound({field: [problem]})
    return unit


class SellThroughViewSet(_ListRetrieve):
    """A distributor's sale to an end customer; a distributor login sells only its units."""

    schema = SalesSchema()

    serializer_class = SellThroughInputSerializer
    shape = staticmethod(sell_through_dict)
    perms_map = {
        "list": "sales.view_sellthrough",
        "retrieve": "sales.view_sellthrough",
        "create": "sales.add_sellthrough",
    }

    def get_queryset(self):
        return sell_throughs_for(self.request.user).order_by("-sold_at", "-pk")

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
        unit = _unit(request.user, v["serial"], v.get("sku", ""))
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


def _warehouse(code: str) -> Warehouse:
    return by_code(Warehouse, code, "warehouse", _("unknown warehouse '%(code)s'"), active=True)


class ReturnViewSet(_ListRetrieve):
    """Returns (RMA): units come back and are inspected (resaleable, repair, scrap)."""

    schema = SalesSchema()

    serializer_class = ReturnInputSerializer
    shape = staticmethod(lambda rma, user: rma_dict(rma, user, detail=True))
    perms_map = {
        "list": "sales.view_rma",
        "retrieve": "sales.view_rma",
        "create": "sales.add_rma",
        "inspect": "sales.change_rma",
    }

    def get_queryset(self):
        return rmas_for(self.request.user).order_by("-received_at", "-pk")

    @extend_schema(request=ReturnInputSerializer, responses=OpenApiTypes.OBJECT)
    def create(self, request):
        data = ReturnInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        warehouse = _warehouse(v["warehouse"])
        units, results, errors = [], {}, []
        for row, line in enumerate(v["lines"], 1):
            unit, problem = unit_by_code(request.user, line["serial"], line.get("sku", ""))
            if unit is None:
                errors.append(RowError(row, line["serial"], problem, "unknown_serial"))
                continue
            units.append(unit)
            results[unit.pk] = line.get("result", "pending")
        try:
            if errors:
                raise ReturnRefused(
                    _("%(n)d units cannot be returned") % {"n": len(errors)}, errors
                )
            rma = create_return(
                units,
                warehouse,
                reason=v["reason"],
                results=results,
                when=v.get("time"),
                user=request.user,
            )
        except ReturnRefused as refused:
            return Response(refused.as_dict(), status=status.HTTP_400_BAD_REQUEST)
        return Response(rma_dict(rma, request.user, detail=True), status=status.HTTP_201_CREATED)

    @extend_schema(request=InspectInputSerializer, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post"])
    def inspect(self, request, pk=None):
        rma = get_object_or_404(self.get_queryset(), pk=pk)
        data = InspectInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        lines = {line.unit.serial: line.pk for line in rma.lines.select_related("unit")}
        results, errors = {}, []
        for row, item in enumerate(data.validated_data["lines"], 1):
            if item["serial"] not in lines:
                errors.append(RowError(row, item["serial"], _("not on this RMA"), "unknown"))
            results[lines.get(item["serial"], -row)] = item["result"]
        try:
            if errors:
                raise ReturnRefused(
                    _("%(n)d inspection results refused") % {"n": len(errors)}, errors
                )
            rma = inspect(
                rma, results, notes=data.validated_data.get("notes", ""), user=request.user
            )
        except ReturnRefused as refused:
            return Response(refused.as_dict(), status=status.HTTP_400_BAD_REQUEST)
        return Response(rma_dict(rma, request.user, detail=True))


class ExchangeViewSet(_ListRetrieve):
    """Exchanges: the old unit comes back, a new one goes to the same holder."""

    schema = SalesSchema()

    serializer_class = ExchangeInputSerializer
    shape = staticmethod(exchange_dict)
    perms_map = {
        "list": "sales.view_exchange",
        "retrieve": "sales.view_exchange",
        "create": ["sales.add_exchange", "sales.add_rma"],
    }

    def get_queryset(self):
        return exchanges_for(self.request.user).order_by("-exchanged_at", "-pk")

    @extend_schema(request=ExchangeInputSerializer, responses=OpenApiTypes.OBJECT)
    def create(self, request):
        data = ExchangeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        old = _unit(request.user, v["old_serial"], v.get("sku", ""), "old_serial")
        new = _unit(request.user, v["new_serial"], v.get("sku", ""), "new_serial")
        exchange = exchange_unit(
            old,
            new,
            _warehouse(v["warehouse"]),
            reason=v["reason"],
            result=v["result"],
            when=v.get("time"),
            user=request.user,
        )
        return Response(exchange_dict(exchange, request.user), status=status.HTTP_201_CREATED)
