"""``GET /api/v1/units/{id}/``: the unit file, composed of serials' facts, the
warranty and the label's URL (``unitfile.selectors.unit_file``)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.response import Response

from unitrace.core.api import ActorMixin
from unitrace.parties.masking import query_filters
from unitrace.serials.access import record_history_read
from unitrace.serials.api.serializers import UnitListSerializer
from unitrace.serials.api.views import AT, at_param, file_unit
from unitrace.serials.selectors import UNIT_RELATED, units_visible_to
from unitrace.unitfile.selectors import unit_file


# Named like serials' unit viewset, and without a class docstring, so the browsable API
# and OPTIONS answer exactly as when both lived in one viewset ("Unit Instance").
class UnitViewSet(ActorMixin, viewsets.GenericViewSet):
    serializer_class = UnitListSerializer
    perms_map = {"retrieve": "serials.view_unit"}

    def get_queryset(self):
        return units_visible_to(self.request.user).select_related(*UNIT_RELATED).order_by("pk")

    @extend_schema(parameters=[AT], responses=OpenApiTypes.OBJECT)
    def retrieve(self, request, pk=None):
        """The unit's file: identity, status, place, holder, warranty, events, components."""
        unit = file_unit(request, pk)
        data = unit_file(unit, request.user, at_param(request))
        record_history_read(
            request.user,
            unit,
            data["events"],
            what="api:unit-file",
            filters=query_filters(request.query_params),
        )
        return Response(data)
