"""Units over the API. Thin: parse input, call a service, shape the answer.

The unit file (``GET units/{id}/``) is composed above serials (``unitfile.api``), and
recording an event (``POST units/{id}/events/``) lives with the diversion check it
triggers (``authenticity.api.units``); both reuse ``file_unit`` and ``at_param``.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from unitrace.codes.pasted import expand_pasted
from unitrace.core.api import ActorMixin
from unitrace.core.api_views import job_payload, job_refusal
from unitrace.core.dates import parse_moment
from unitrace.core.errors import error_body
from unitrace.core.jobs import submit_job
from unitrace.core.models import Job
from unitrace.core.parsers import FormParser, JSONParser, MultiPartParser
from unitrace.core.tabular import runs_in_request
from unitrace.core.uploads import read_upload
from unitrace.parties.masking import query_filters, record_customer_read
from unitrace.serials import genealogy
from unitrace.serials.access import record_history_read
from unitrace.serials.api.serializers import (
    ComponentActionSerializer,
    GenerateSerializer,
    ImportSerializer,
    ListRegisterSerializer,
    UnitListSerializer,
)
from unitrace.serials.file_reads import event_rows
from unitrace.serials.filters import UnitFilterSet
from unitrace.serials.importing import import_serial_list
from unitrace.serials.models import Unit
from unitrace.serials.scan import resolve_scan
from unitrace.serials.selectors import (
    UNIT_RELATED,
    unit_for_file,
    units_visible_to,
)

SYNC_GENERATE = 20_000
AT = OpenApiParameter("at", OpenApiTypes.DATETIME, description="moment to ask about (ISO 8601)")


def at_param(request):
    """``?at=`` as an aware moment; without an offset it is local time (Asia/Shanghai)."""
    raw = request.query_params.get("at")
    if not raw:
        return None
    value = parse_moment(raw)
    if value is None:  # malformed, impossible (2026-02-30T10:00) or out of range
        raise ValidationError(
            {
                "at": _("'%(value)s' is not an ISO 8601 date-time between 2000 and a year from now")
                % {"value": raw}
            }
        )
    return value


def _job_response(job: Job, request, created_status=status.HTTP_201_CREATED) -> Response:
    body = job_payload(job, request)
    if job.status == Job.Status.QUEUED or job.status == Job.Status.RUNNING:
        return Response(body, status=status.HTTP_202_ACCEPTED)
    if job.status == Job.Status.FAILED:  # the status answer (report_url...) is the meta
        return Response(job_refusal(job, request), status=status.HTTP_400_BAD_REQUEST)
    return Response(body, status=created_status)


def file_unit(request, pk) -> Unit:
    """The unit of a unit-file endpoint, or 404 when absent or outside the caller's scope."""
    try:
        number = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    unit = unit_for_file(request.user, number) if 0 < number < 2**63 else None
    if unit is None:
        raise Http404
    return unit


class UnitViewSet(ActorMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = UnitListSerializer
    filterset_class = UnitFilterSet
    perms_map = {
        "list": "serials.view_unit",
        "history": ["serials.view_unit", "serials.view_unitevent"],
        "components": "serials.view_unit",
        "where_used": "serials.view_unit",
        "generate": "serials.add_unit",
        "import_file": "serials.add_unit",
        "register_list": "serials.add_unit",
        "assemble": "serials.change_componentlink",
    }

    def get_queryset(self):
        return units_visible_to(self.request.user).select_related(*UNIT_RELATED).order_by("pk")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        record_customer_read(
            request.user,
            Unit,
            [u.holder for u in page],
            rows=len(page),
            filters=query_filters(request.query_params),
            what="api:units",
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        unit = file_unit(request, pk)
        events = event_rows(unit.pk, request.user)
        record_history_read(
            request.user,
            unit,
            events,
            what="api:unit-history",
            filters=query_filters(request.query_params),
        )
        return Response({"serial": unit.serial, "events": events})

    @extend_schema(parameters=[AT], responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def components(self, request, pk=None):
        unit = get_object_or_404(self.get_queryset(), pk=pk)
        return Response(genealogy.component_tree(unit, at_param(request)).as_dict())

    @extend_schema(parameters=[AT], responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"], url_path="where-used")
    def where_used(self, request, pk=None):
        unit = get_object_or_404(self.get_queryset(), pk=pk)
        return Response(
            {"serial": unit.serial, "parents": genealogy.where_used(unit, at_param(request))}
        )

    @extend_schema(request=GenerateSerializer, responses=OpenApiTypes.OBJECT)
    @action(detail=False, methods=["post"])
    def generate(self, request):
        """Generate and register serials by the SKU's rule (large counts run as a job)."""
        data = GenerateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        job = submit_job(
            "units.generate",
            user=request.user,
            total=v["count"],
            params={
                "sku": v["sku"].pk,
                "count": v["count"],
                "batch": v["batch"].pk if v.get("batch") else None,
                "warehouse": v["warehouse"].pk if v.get("warehouse") else None,
            },
            run_now=v["count"] <= SYNC_GENERATE,
        )
        return _job_response(job, request)

    @extend_schema(request={"multipart/form-data": ImportSerializer}, responses=OpenApiTypes.OBJECT)
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser, FormParser],
    )
    def import_file(self, request):
        """Register units from CSV/XLSX; 400 with ``rows`` (row, field, value, message)."""
        data = ImportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        upload = v["file"]
        content = read_upload(upload)
        job = submit_job(
            "units.import",
            user=request.user,
            input_name=upload.name,
            input_data=content,
            params={
                "mode": v["mode"],
                "sku": v["sku"].pk if v.get("sku") else None,
                "batch": v["batch"].pk if v.get("batch") else None,
                "warehouse": v["warehouse"].pk if v.get("warehouse") else None,
            },
            run_now=runs_in_request(content, upload.name),
        )
        return _job_response(job, request)

    @extend_schema(request=ListRegisterSerializer, responses=OpenApiTypes.OBJECT)
    @action(
        detail=False,
        methods=["post"],
        url_path="register",
        parser_classes=[JSONParser, FormParser, MultiPartParser],
    )
    def register_list(self, request):
        """Register a pasted or scanned list of serials (ranges like A0001-A0100 expand)."""
        data = ListRegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        result = import_serial_list(
            expand_pasted(v["serials"], max_count=100_000),
            mode=v["mode"],
            default_sku=v["sku"],
            default_batch=v.get("batch"),
            warehouse=v.get("warehouse"),
            ref_type="list",
        )
        return Response(
            {**result.as_dict(), "rows": [e.as_dict() for e in result.errors]},
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=ComponentActionSerializer, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post"], url_path="assemble")
    def assemble(self, request, pk=None):
        """Install, remove or replace a component unit in this unit."""
        parent = get_object_or_404(self.get_queryset(), pk=pk)
        data = ComponentActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        visible = self.get_queryset()
        component = get_object_or_404(visible, pk=v["component"])
        common = {"when": v.get("time"), "notes": v.get("notes", "")}
        if v["action"] == "install":
            genealogy.install_component(parent, component, position=v.get("position", ""), **common)
        elif v["action"] == "remove":
            genealogy.remove_component(parent, component, warehouse=v.get("warehouse"), **common)
        else:
            if not v.get("new_component"):
                raise ValidationError({"new_component": [_("required to replace a component")]})
            new = get_object_or_404(visible, pk=v["new_component"])
            genealogy.replace_component(
                parent, component, new, warehouse=v.get("warehouse"), **common
            )
        return Response(genealogy.component_tree(parent).as_dict(), status=201)


class ScanView(ActorMixin, APIView):
    """Resolve any scanned code (serial, GS1 element string, Digital Link) to units.

    Found (one unit) or ambiguous (several): 200 with the answer. Unreadable or not
    found: 400/404 in the one error body, ``code`` the outcome and ``meta`` the same
    answer (what was parsed from the code).
    """

    perms_map = {"get": "serials.view_unit"}
    error_statuses = ("404",)

    @extend_schema(
        parameters=[OpenApiParameter("code", OpenApiTypes.STR, required=True)],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        code = request.query_params.get("code", "")
        if not code.strip():
            raise ValidationError({"code": ["this parameter is required"]})
        match = resolve_scan(code, request.user)
        parsed = match.code
        answer = {
            "outcome": match.outcome,
            "message": match.message,
            "parsed": {
                "kind": parsed.kind,
                "symbology": parsed.symbology,
                "gtin": parsed.gtin,
                "serial": parsed.serial,
                "lot": parsed.lot,
                "production_date": parsed.production_date,
                "expiry_date": parsed.expiry_date,
                "ais": parsed.ais,
                "errors": list(parsed.errors),
            },
            "units": [
                {
                    "id": u.pk,
                    "serial": u.serial,
                    "sku": u.sku.code,
                    "status": u.status,
                    "url": request.build_absolute_uri(f"/api/v1/units/{u.pk}/"),
                }
                for u in match.units
            ],
        }
        if match.outcome in {"found", "ambiguous"}:
            return Response(answer)
        refused = 404 if match.outcome == "not_found" else 400
        return Response(error_body(match.outcome, match.message, meta=answer), status=refused)
