"""Divisions over the API: search by name, and resolve a free-text address.

Reference data, not business records: any signed-in user may read it (the intake forms
of every role look names up), nobody without a login.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from unitrace.geo.divisions import LEVELS, Division, search
from unitrace.geo.resolve import MAX_ADDRESS, resolve_address

MAX_RESULTS = 100


class DivisionQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=50, required=False, allow_blank=True, help_text="part of a name: 杭州, 西湖"
    )
    level = serializers.ChoiceField(choices=LEVELS, required=False)
    parent = serializers.RegexField(
        r"^\d{2}(\d{2}){0,2}$",
        max_length=6,
        required=False,
        help_text="only divisions inside this code (2, 4 or 6 digits)",
    )
    limit = serializers.IntegerField(min_value=1, max_value=MAX_RESULTS, default=20)


class DivisionSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="six-digit GB/T 2260 code (adcode)")
    name = serializers.CharField()
    short_name = serializers.CharField()
    level = serializers.ChoiceField(choices=LEVELS)
    parent = serializers.CharField(help_text='the code of the division above ("" for a province)')
    latitude = serializers.FloatField(help_text="centroid")
    longitude = serializers.FloatField(help_text="centroid")
    centroid_of = serializers.CharField(
        help_text="whose centroid it is: the division's own code, or its parent's"
    )


class DivisionListSerializer(serializers.Serializer):
    results = DivisionSerializer(many=True)


class ResolveQuerySerializer(serializers.Serializer):
    address = serializers.CharField(
        max_length=MAX_ADDRESS, required=False, allow_blank=True, help_text="浙江杭州西湖区文三路"
    )
    province = serializers.CharField(max_length=30, required=False, allow_blank=True)
    city = serializers.CharField(max_length=30, required=False, allow_blank=True)
    district = serializers.CharField(max_length=30, required=False, allow_blank=True)

    def validate(self, attrs):
        if not any(attrs.get(k) for k in ("address", "province", "city", "district")):
            raise serializers.ValidationError({"address": _("Give an address.")})
        return attrs


class ResolutionSerializer(serializers.Serializer):
    adcode = serializers.CharField(help_text="deepest division found; may be empty")
    province = serializers.CharField()
    city = serializers.CharField()
    district = serializers.CharField()
    latitude = serializers.FloatField(allow_null=True, help_text="centroid of adcode")
    longitude = serializers.FloatField(allow_null=True, help_text="centroid of adcode")
    street = serializers.CharField(help_text="the rest of the text")
    resolved = serializers.BooleanField()
    level = serializers.CharField(help_text='province, city, district or ""')
    ambiguous = serializers.BooleanField(help_text="a name fits several divisions")
    reason = serializers.CharField(help_text="why it did not resolve")
    candidates = serializers.ListField(child=serializers.CharField())


def division_dict(division: Division) -> dict:
    return {
        "code": division.code,
        "name": division.name,
        "short_name": division.short_name,
        "level": division.level,
        "parent": division.parent,
        "latitude": division.latitude,
        "longitude": division.longitude,
        "centroid_of": division.centroid_of,
    }


class DivisionListView(APIView):
    """Search divisions by name (full or short form), optionally by level or parent."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Search administrative divisions (GB/T 2260)",
        parameters=[DivisionQuerySerializer],
        responses=DivisionListSerializer,
    )
    def get(self, request):
        query = DivisionQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        found = search(
            data.get("q", ""),
            level=data.get("level", ""),
            parent=data.get("parent", ""),
            limit=data["limit"],
        )
        return Response({"results": [division_dict(d) for d in found]})


class ResolveView(APIView):
    """Resolve a free-text address to its division code and centroid."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Resolve an address to a division code and centroid",
        description=(
            "Reads 省/市/区 names from the start of the address (``geo.resolve``). An "
            "ambiguous name (朝阳区: 北京 or 长春) is not guessed: ``resolved`` is false, "
            "``ambiguous`` true and ``candidates`` lists the codes."
        ),
        parameters=[ResolveQuerySerializer],
        responses=ResolutionSerializer,
    )
    def get(self, request):
        query = ResolveQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        resolution = resolve_address(
            data.get("address", ""),
            province=data.get("province", ""),
            city=data.get("city", ""),
            district=data.get("district", ""),
        )
        return Response(resolution.as_dict())
