"""Work orders over the API: list (the list page's filters and scope), detail, open one
(channel ``api``) and take a step from the transition table.

A step the table or the rules refuse answers 409 in the one error body with the
reason; a step this login may not take answers 403; an order outside the login's scope
does not exist (404).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from unitrace.core.permissions import RolePermission, log_denial
from unitrace.parties.masking import record_pii_read
from unitrace.parties.models import Party
from unitrace.sales.api.aftersales import ListRetrieveViewSet
from unitrace.sales.api.schema import SalesSchema
from unitrace.sales.selectors import unit_by_code
from unitrace.service import access
from unitrace.service.api.workorder_serializers import (
    TransitionInputSerializer,
    WorkOrderInputSerializer,
)
from unitrace.service.filters import WorkOrderFilters, filtered_work_orders
from unitrace.service.models import FaultCode, WorkOrder
from unitrace.service.states import ACTIONS, Channel
from unitrace.service.workorder_output import with_related, work_order_dict
from unitrace.service.workorders import Intake, open_work_order, transition

READ_ACTIONS = ("list", "retrieve", "transition")


class WorkOrderAccess(RolePermission):
    """Reading and stepping need a work-order role (viewer or engineer: the scope
    decides which orders); opening one needs ``add_workorder``."""

    def has_permission(self, request, view) -> bool:
        if getattr(view, "action", None) in READ_ACTIONS:
            user = request.user
            if user and user.is_authenticated and user.is_active and access.may_list(user):
                return True
            log_denial(request, "api", [access.VIEW])
            return False
        return super().has_permission(request, view)


ENUM_FILTERS = ("state", "priority", "kind", "mode", "channel", "flagged", "sort")


def _filter_parameters() -> list[OpenApiParameter]:
    """The list page's filters as query parameters (no database read: codes of
    partners and fault codes are plain strings here)."""
    params = []
    for name, field in WorkOrderFilters.base_fields.items():
        enum = None
        if name in ENUM_FILTERS:
            enum = [str(value) for value, _label in field.choices if value]
        params.append(
            OpenApiParameter(
                name,
                OpenApiTypes.DATE if name.startswith("opened_") else OpenApiTypes.STR,
                required=False,
                enum=enum,
                description=str(field.help_text or ""),
            )
        )
    return params


def _code(model, value: str, field: str, message: str, **filters):
    if not value:
        return None
    found = model.objects.filter(code=value, **filters).first()
    if found is None:
        raise exceptions.ValidationError({field: [message % {"code": value}]})
    return found


class WorkOrderViewSet(ListRetrieveViewSet):
    """Work orders (工单): repair, installation, maintenance... with their history."""

    schema = SalesSchema()
    permission_classes = [WorkOrderAccess]
    error_statuses = ("409",)  # a step the transition table or the rules refuse
    serializer_class = WorkOrderInputSerializer
    perms_map = {"create": "service.add_workorder"}

    def get_queryset(self):
        return with_related(access.work_orders_visible_to(self.request.user))

    @extend_schema(parameters=_filter_parameters(), responses=OpenApiTypes.OBJECT)
    def list(self, request):
        queryset, form = filtered_work_orders(request.user, request.query_params)
        if form.errors:
            raise exceptions.ValidationError(form.errors)
        page = self.paginate_queryset(with_related(queryset))
        record_pii_read(
            request.user,
            WorkOrder,
            rows=len(page),
            filters=request.query_params.dict(),
            what="api:work-orders",
        )
        return self.get_paginated_response([work_order_dict(wo, request.user) for wo in page])

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def retrieve(self, request, pk=None):
        wo = get_object_or_404(self.get_queryset(), pk=pk)
        record_pii_read(
            request.user, WorkOrder, rows=1, filters={"id": wo.pk}, what="api:work-order"
        )
        return Response(work_order_dict(wo, request.user, detail=True))

    @extend_schema(request=WorkOrderInputSerializer, responses={201: OpenApiTypes.OBJECT})
    def create(self, request):
        data = WorkOrderInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        unit = None
        serial = v.get("serial", "").strip()
        if serial:
            unit, _problem = unit_by_code(request.user, serial)
        customer = _code(
            Party,
            v.get("customer", ""),
            "customer",
            _("No customer has the code %(code)s."),
            kind=Party.Kind.CUSTOMER,
        )
        fault = _code(
            FaultCode, v.get("fault_code", ""), "fault_code", _("No fault code %(code)s.")
        )
        wo = open_work_order(
            Intake(
                contact_name=v["contact_name"],
                contact_phone=v["contact_phone"],
                kind=v["kind"],
                priority=v["priority"],
                mode=v["mode"],
                unit=unit,
                serial_given="" if unit is not None else serial,
                customer=customer,
                address=v.get("address", ""),
                adcode=v.get("adcode", ""),
                latitude=v.get("latitude"),
                longitude=v.get("longitude"),
                window_start=v.get("window_start"),
                window_end=v.get("window_end"),
                fault_code=fault,
                description=v.get("description", ""),
                notes=v.get("notes", ""),
                courier_in=v.get("courier_in", ""),
                tracking_in=v.get("tracking_in", ""),
            ),
            channel=Channel.API,
            user=request.user,
            allow_duplicate=v["allow_duplicate"],
        )
        shown = self.get_queryset().filter(pk=wo.pk).first() or wo
        return Response(work_order_dict(shown, request.user, detail=True), status=201)

    @extend_schema(request=TransitionInputSerializer, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        wo = get_object_or_404(self.get_queryset(), pk=pk)
        data = TransitionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        name = v["action"]
        if name not in ACTIONS:
            raise exceptions.ValidationError(
                {"action": [_("'%(action)s' is not a work-order action") % {"action": name}]}
            )
        if not access.may(request.user, wo, name):
            log_denial(request, "api", [access.PERMISSION_FOR.get(name, access.WORK)])
            raise PermissionDenied
        assignee = None
        if v.get("assignee"):
            assignee = get_user_model().objects.filter(username=v["assignee"]).first()
            if assignee is None:
                raise exceptions.ValidationError({"assignee": [_("No such login.")]})
        fault = _code(
            FaultCode, v.get("fault_code", ""), "fault_code", _("No fault code %(code)s.")
        )
        moved = transition(
            wo,
            name,
            user=request.user,
            reason=v.get("reason", ""),
            resolution=v.get("resolution", ""),
            assignee=assignee,
            fault_code=fault,
        )
        shown = self.get_queryset().filter(pk=wo.pk).first()
        if shown is None:  # e.g. an engineer who rejected the job no longer sees it
            body = {"id": moved.pk, "number": moved.number, "state": moved.state}
            return Response(body, status=status.HTTP_200_OK)
        return Response(work_order_dict(shown, request.user, detail=True))
