"""The change log over the API, for auditors: filtered, paginated, exportable."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from unitrace.core.api import ActorMixin
from unitrace.core.api_views import JOB_SCHEMA, job_payload
from unitrace.core.audit import CHANGELOG_FIELDS
from unitrace.core.audit_trail import entries, export, masked, parse_filters
from unitrace.core.exports import EXPORT_FORMATS
from unitrace.core.models import ChangeLog, Job

PERMS = {"get": "core.view_changelog"}
FILTER_PARAMETERS = [
    OpenApiParameter("user", str, description="user id or user name"),
    OpenApiParameter("model", str, description="object type, e.g. catalog.sku"),
    OpenApiParameter("object", str, description="object id"),
    OpenApiParameter("since", OpenApiTypes.DATETIME, description="from this moment (ISO 8601)"),
    OpenApiParameter("until", OpenApiTypes.DATETIME, description="up to this moment"),
    OpenApiParameter("ip", str, description="source IP address"),
    OpenApiParameter("action", str, enum=ChangeLog.Action.values),
]


class MaskedListSerializer(serializers.ListSerializer):
    """A page of entries as the caller may see them (personal data masked without PII),
    masked together so a mask looks up what it needs once per page."""

    def to_representation(self, data):
        request = self.context.get("request")
        entries = masked(data, getattr(request, "user", None))
        return [self.child.to_representation(entry) for entry in entries]


class ChangeLogSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChangeLog
        # what the chain seals, with the row id and the seal itself
        fields = ["id", *CHANGELOG_FIELDS, "chain_hash"]
        list_serializer_class = MaskedListSerializer


@extend_schema(parameters=FILTER_PARAMETERS)
class ChangeLogListView(ActorMixin, generics.ListAPIView):
    """Change-log entries, newest first (master-data edits, document steps, security events)."""

    perms_map = PERMS
    serializer_class = ChangeLogSerializer
    filter_backends: list = []

    def get_queryset(self):
        return entries(parse_filters(self.request.query_params))


class ChangeLogExportView(ActorMixin, APIView):
    """The filtered change log as one CSV or XLSX file (the export itself is logged).

    A large export (more rows than ``UNITRACE_EXPORT_JOB_ROWS``) answers 202 with the
    background job that writes it; its ``download_url`` appears when the file is ready.
    """

    perms_map = PERMS

    @extend_schema(
        parameters=[
            *FILTER_PARAMETERS,
            OpenApiParameter("as", str, enum=list(EXPORT_FORMATS), description="file type"),
        ],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY),
            (
                200,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ): OpenApiResponse(OpenApiTypes.BINARY),
            (202, "application/json"): OpenApiResponse(
                JOB_SCHEMA, description="a large export: the job that writes the file"
            ),
        },
    )
    def get(self, request):
        params = request.query_params.copy()
        fmt = params.pop("as", ["csv"])[-1]
        outcome = export(request.user, params, fmt)
        if isinstance(outcome, Job):
            return Response(job_payload(outcome, request), status=status.HTTP_202_ACCEPTED)
        response = HttpResponse(outcome.content, content_type=outcome.content_type)
        response["Content-Disposition"] = f'attachment; filename="{outcome.filename}"'
        return response
