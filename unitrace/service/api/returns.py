"""Returns (RMA) and exchanges over the API: same paths and answers as when they were sales'."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from unitrace.core.errors import RowError
from unitrace.places.models import Warehouse
from unitrace.sales.api.aftersales import ListRetrieveViewSet, visible_unit
from unitrace.sales.api.orders import by_code
from unitrace.sales.api.schema import SalesSchema
from unitrace.sales.selectors import unit_by_code
from unitrace.service.api.serializers import (
    ExchangeInputSerializer,
    InspectInputSerializer,
    ReturnInputSerializer,
)
from unitrace.service.output import exchange_dict, rma_dict
from unitrace.service.returns import ReturnRefused, create_return, exchange_unit, inspect
from unitrace.service.selectors import exchanges_for, rmas_for


def _warehouse(code: str) -> Warehouse:
    return by_code(Warehouse, code, "warehouse", _("unknown warehouse '%(code)s'"), active=True)


class ReturnViewSet(ListRetrieveViewSet):
    """Returns (RMA): units come back and are inspected (resaleable, repair, scrap)."""

    schema = SalesSchema()

    serializer_class = ReturnInputSerializer
    shape = staticmethod(lambda rma, user: rma_dict(rma, user, detail=True))
    customer_read = ("api:returns", "holder")
    perms_map = {
        "list": "service.view_rma",
        "retrieve": "service.view_rma",
        "create": "service.add_rma",
        "inspect": "service.change_rma",
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
                errors.append(
                    RowError(
                        row,
                        field="serial",
                        code="unknown_serial",
                        message=problem,
                        value=line["serial"],
                    )
                )
                continue
            units.append(unit)
            results[unit.pk] = line.get("result", "pending")
        if errors:
            raise ReturnRefused(_("%(n)d units cannot be returned") % {"n": len(errors)}, errors)
        rma = create_return(
            units,
            warehouse,
            reason=v["reason"],
            results=results,
            when=v.get("time"),
            user=request.user,
        )
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
                errors.append(
                    RowError(
                        row,
                        field="serial",
                        code="unknown",
                        message=_("not on this RMA"),
                        value=item["serial"],
                    )
                )
            results[lines.get(item["serial"], -row)] = item["result"]
        if errors:
            raise ReturnRefused(_("%(n)d inspection results refused") % {"n": len(errors)}, errors)
        rma = inspect(rma, results, notes=data.validated_data.get("notes", ""), user=request.user)
        return Response(rma_dict(rma, request.user, detail=True))


class ExchangeViewSet(ListRetrieveViewSet):
    """Exchanges: the old unit comes back, a new one goes to the same holder."""

    schema = SalesSchema()
    error_statuses = ("404",)  # a serial that names no unit the login may see

    serializer_class = ExchangeInputSerializer
    shape = staticmethod(exchange_dict)
    customer_read = ("api:exchanges", "holder")
    perms_map = {
        "list": "service.view_exchange",
        "retrieve": "service.view_exchange",
        "create": ["service.add_exchange", "service.add_rma"],
    }

    def get_queryset(self):
        return exchanges_for(self.request.user).order_by("-exchanged_at", "-pk")

    @extend_schema(request=ExchangeInputSerializer, responses=OpenApiTypes.OBJECT)
    def create(self, request):
        data = ExchangeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        old = visible_unit(request.user, v["old_serial"], v.get("sku", ""), "old_serial")
        new = visible_unit(request.user, v["new_serial"], v.get("sku", ""), "new_serial")
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
