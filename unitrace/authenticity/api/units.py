"""``POST /api/v1/units/{id}/events/``: record one lifecycle event of a unit.

Here rather than in serials because recording a service event with a region is also a
sighting of the unit there, and the diversion check it calls for is authenticity's
(``diversion.record_event`` records both in one transaction).
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from unitrace.authenticity.diversion import record_event
from unitrace.core.api import ActorMixin
from unitrace.parties.models import Party
from unitrace.serials import ledger
from unitrace.serials.api.serializers import EventInputSerializer, UnitListSerializer
from unitrace.serials.selectors import UNIT_RELATED, event_dict, units_visible_to


# Named like serials' unit viewset, and without a class docstring, so the browsable API
# and OPTIONS answer exactly as when both lived in one viewset.
class UnitViewSet(ActorMixin, viewsets.GenericViewSet):
    serializer_class = UnitListSerializer
    perms_map = {"events": "serials.record_event"}

    def get_queryset(self):
        return units_visible_to(self.request.user).select_related(*UNIT_RELATED).order_by("pk")

    @extend_schema(request=EventInputSerializer, responses={201: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["post"])
    def events(self, request, pk=None):
        """Record one lifecycle event through the ledger (refused with the reason).

        A service event (serviced, service_in, repaired) with a region is also a sighting
        of the unit there: outside its distributor's regions it raises a diversion alert.
        """
        unit = get_object_or_404(self.get_queryset(), pk=pk)
        data = EventInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        party = None
        if v.get("party"):
            party = Party.objects.filter(code=v["party"]).first()
            if party is None:
                raise ValidationError(
                    {"party": [_("unknown party '%(code)s'") % {"code": v["party"]}]}
                )
        event = record_event(
            unit,
            ledger.EventData(
                v["type"],
                when=v.get("time"),
                warehouse=v.get("warehouse"),
                party=party,
                region=v.get("region", ""),
                ref_type=v.get("ref_type", ""),
                ref_id=v.get("ref_id", ""),
                notes=v.get("notes", ""),
                details=(
                    {"to_warehouse_id": v["to_warehouse"].pk} if v.get("to_warehouse") else None
                ),
            ),
        )
        return Response(event_dict(event, request.user), status=status.HTTP_201_CREATED)
