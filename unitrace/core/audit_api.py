"""The change log over the API, for auditors: filtered, paginated, exportable."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.views import APIView

from unitrace.core.api import ActorMixin
from unitrace.core.audit import CHANGELOG_FIELDS
from unitrace.core.audit_trail import EXPORT_FORMATS, entries, export, parse_filters
from unitrace.core.models import ChangeLog

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


class ChangeLogSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChangeLog
        # what the chain seals, with the row id and the seal itself
        fields = ["id", *CHANGELOG_FIELDS, "chain_hash"]


@extend_schema(parameters=FILTER_PARAMETERS)
class ChangeLogListView(ActorMixin, generics.ListAPIView):
    """Change-log entries, newest first (master-data edits, document steps, security events)."""

    perms_map = PERMS
    serializer_class = ChangeLogSerializer
    filter_backends: list = []

    def get_queryset(self):
        return entries(parse_filters(self.request.query_params))


class ChangeLogExportView(ActorMixin, APIView):
    """The filtered change log as one CSV or XLSX file (the export itself is logged)."""

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
        },
    )
    def get(self, request):
        content, kind, name = export(
            parse_filters(request.query_params), request.query_params.get("as", "csv")
        )
        response = HttpResponse(content, content_type=kind)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
