"""Customers, distributors (with authorized regions) and sales channels over the API."""

from __future__ import annotations

from dataclasses import asdict

from django.db.models import Q
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from unitrace.core.api import ActorMixin
from unitrace.core.fields import IntegerField
from unitrace.core.viewsets import LoggedWritesMixin
from unitrace.parties import services
from unitrace.parties.masking import can_see_pii, party_location, record_pii_read
from unitrace.parties.models import Party
from unitrace.parties.search import MAX_LIMIT, find_customers
from unitrace.sales.api.schema import SalesSchema
from unitrace.sales.api.serializers import (
    ChannelSerializer,
    DistributorInputSerializer,
    PartyInputSerializer,
)
from unitrace.sales.selectors import channels_for, parties_for, party_dict

PARTY_PERMS = {
    "list": "parties.view_party",
    "retrieve": "parties.view_party",
    "create": "parties.add_party",
    "update": "parties.change_party",
    "partial_update": "parties.change_party",
    "search": "parties.view_party",
}


def search_parties(queryset, user, text: str):
    """Name or code; by phone only for users who may see phones (no guessing by digits)."""
    text = text.strip()
    if not text:
        return queryset
    match = Q(name__icontains=text) | Q(code__iexact=text)
    if can_see_pii(user):
        match |= Q(phone__contains=text)
    return queryset.filter(match)


class _PartyViewSet(ActorMixin, viewsets.GenericViewSet):
    schema = SalesSchema()
    kind = Party.Kind.CUSTOMER
    input_class = PartyInputSerializer
    serializer_class = PartyInputSerializer
    perms_map = PARTY_PERMS

    def get_queryset(self):
        queryset = parties_for(self.request.user, self.kind).prefetch_related("regions")
        return search_parties(queryset, self.request.user, self.request.query_params.get("q", ""))

    def _body(self, party: Party) -> dict:
        data = party_dict(party, self.request.user)
        data["active"] = party.active
        data.update(party_location(party, self.request.user))
        if self.kind == Party.Kind.DISTRIBUTOR:
            data["regions"] = [
                {"province": r.province, "city": r.city}
                for r in sorted(party.regions.all(), key=lambda r: r.pk)
            ]
        return data

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def list(self, request):
        queryset = self.get_queryset().order_by("code")
        page = self.paginate_queryset(queryset)
        if self.kind == Party.Kind.CUSTOMER:
            record_pii_read(
                request.user,
                Party,
                rows=len(page),
                filters=request.query_params.dict(),
                what="api:customers",
            )
        return self.get_paginated_response([self._body(p) for p in page])

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def retrieve(self, request, pk=None):
        return Response(self._body(get_object_or_404(self.get_queryset(), pk=pk)))

    def _save(self, request, party: Party | None) -> Party:
        data = self.input_class(data=request.data, partial=party is not None)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if self.kind == Party.Kind.DISTRIBUTOR:
            regions = values.pop("regions", None)
            if regions is not None:
                regions = [(r["province"], r.get("city", "")) for r in regions]
            return services.save_distributor(values, regions, party, user=request.user)
        return services.save_party(self.kind, values, party, user=request.user)

    @extend_schema(request=PartyInputSerializer, responses=OpenApiTypes.OBJECT)
    def create(self, request):
        party = self._save(request, None)
        return Response(self._body(party), status=status.HTTP_201_CREATED)

    @extend_schema(request=PartyInputSerializer, responses=OpenApiTypes.OBJECT)
    def update(self, request, pk=None):
        party = self._save(request, get_object_or_404(self.get_queryset(), pk=pk))
        return Response(self._body(self.get_queryset().get(pk=party.pk)))

    def partial_update(self, request, pk=None):
        return self.update(request, pk)


class CustomerSearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=100,
        help_text="a whole phone number, its last four digits (or more), the beginning "
        "of the name, or the exact code; digits need permission to see personal data",
    )
    limit = serializers.IntegerField(
        min_value=1, max_value=MAX_LIMIT, default=10, help_text="how many customers at most"
    )


class CustomerHitSerializer(serializers.Serializer):
    id = IntegerField(big=True)
    code = serializers.CharField()
    name = serializers.CharField(help_text="masked without permission to see personal data")
    phone = serializers.CharField(help_text="masked without permission to see personal data")
    region = serializers.CharField(help_text="省/市/区 joined by /")
    is_company = serializers.BooleanField()


class CustomerSearchSerializer(serializers.Serializer):
    results = CustomerHitSerializer(many=True)


class CustomerViewSet(_PartyViewSet):
    """Customers: persons or companies, phone and 省/市/区 address (masked without PII)."""

    schema = SalesSchema()

    kind = Party.Kind.CUSTOMER

    @extend_schema(
        summary="Find a customer by phone, its last four digits or the name",
        description=(
            "The rules of the customer search page (``parties.search.find_customers``): a "
            "whole phone number matches exactly, four or more digits match the phone's "
            "end, anything else the beginning of the name or the exact code. A search by "
            "digits without permission to see personal data is refused with 403 and the "
            "code ``pii_required``; names and phones in the results are masked for such a "
            "user. A distributor's or service partner's login finds no customers."
        ),
        parameters=[CustomerSearchQuerySerializer],
        responses=CustomerSearchSerializer,
    )
    @action(detail=False, methods=["get"])
    def search(self, request):
        query = CustomerSearchQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        hits = find_customers(
            query.validated_data["q"], request.user, query.validated_data["limit"]
        )
        return Response({"results": [asdict(hit) for hit in hits]})


class DistributorViewSet(_PartyViewSet):
    """Distributors with their authorized regions."""

    schema = SalesSchema()

    kind = Party.Kind.DISTRIBUTOR
    input_class = DistributorInputSerializer
    serializer_class = DistributorInputSerializer


class ChannelViewSet(
    ActorMixin,
    LoggedWritesMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Sales channels: e-commerce, dealer, direct store, project."""

    schema = SalesSchema()

    serializer_class = ChannelSerializer
    perms_map = {
        "list": "sales.view_saleschannel",
        "retrieve": "sales.view_saleschannel",
        "create": "sales.add_saleschannel",
        "update": "sales.change_saleschannel",
        "partial_update": "sales.change_saleschannel",
    }

    def get_queryset(self):
        return channels_for(self.request.user).order_by("code")
