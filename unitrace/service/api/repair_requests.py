"""``POST /api/v1/repair-requests/``: a WeChat mini-program, a call centre or a CRM
files a repair (报修) and gets the ticket, the customer's progress link, the unit's
entitlement and the intake flags.

The body is JSON; photos travel inside it as base64 (``photos: [{"name", "data"}]``),
so a request is one document whose fingerprint covers everything and a retry can be
compared with the first. An ``Idempotency-Key`` header makes retries safe: the same
key from the same caller answers the first request's response again (header
``Idempotent-Replayed: true``), and the same key with another body is refused (422).
"""

from __future__ import annotations

import base64
import binascii
import re

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from unitrace.core.api import ActorMixin
from unitrace.core.fields import MomentField
from unitrace.serials.resolver import Reason, resolve
from unitrace.service.intake import (
    MAX_PHOTOS,
    Idempotency,
    Upload,
    fingerprint,
    max_photo_bytes,
    prepare_photos,
    submit,
)
from unitrace.service.models import FaultCode
from unitrace.service.states import API_CHANNELS, Kind, Mode, Priority
from unitrace.service.workorders import Intake

KEY_HEADER = "Idempotency-Key"
CHANNEL_CHOICES = [(c.value, c.label) for c in API_CHANNELS]
KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,100}$")  # printable ASCII, no spaces


class PhotoInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    data = serializers.CharField(
        help_text="the picture's bytes in base64 (JPEG, PNG, WebP or HEIC)",
        # base64 of the largest photo allowed, and a little room
        max_length=(max_photo_bytes() * 4) // 3 + 1024,
        trim_whitespace=True,
    )

    def validate_data(self, value: str) -> bytes:
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise serializers.ValidationError(_("This is not base64."))


class RepairRequestSerializer(serializers.Serializer):
    serial = serializers.CharField(
        max_length=400,
        required=False,
        allow_blank=True,
        help_text="serial, GS1 element string or label URL (scan resolver); may be unknown",
    )
    sku = serializers.CharField(max_length=60, required=False, allow_blank=True)
    contact_name = serializers.CharField(max_length=100, allow_blank=True)
    contact_phone = serializers.CharField(max_length=20, allow_blank=True)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    adcode = serializers.CharField(max_length=12, required=False, allow_blank=True)
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True
    )
    window_start = MomentField(required=False, allow_null=True)
    window_end = MomentField(required=False, allow_null=True)
    fault_code = serializers.CharField(max_length=20, required=False, allow_blank=True)
    description = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=Kind.choices, required=False, default=Kind.REPAIR)
    priority = serializers.ChoiceField(
        choices=Priority.choices, required=False, default=Priority.NORMAL
    )
    # plain text, checked by the intake service ("mode" as an enum would clash in the
    # schema with receiving's own "mode")
    mode = serializers.CharField(
        max_length=20,
        required=False,
        default=Mode.ON_SITE,
        help_text="service mode: " + ", ".join(Mode.values),
    )
    channel = serializers.ChoiceField(choices=CHANNEL_CHOICES, required=False, default="api")
    allow_duplicate = serializers.BooleanField(
        required=False,
        default=False,
        help_text="open a second work order although the unit has an open one",
    )
    photos = PhotoInputSerializer(many=True, required=False, max_length=MAX_PHOTOS)

    def validate_fault_code(self, value: str) -> FaultCode | None:
        if not value:
            return None
        found = FaultCode.objects.filter(code=value).first()
        if found is None:
            raise serializers.ValidationError(
                _("'%(code)s' is not a fault code.") % {"code": value}
            )
        return found


def _idempotency_key(request) -> str | None:
    key = request.headers.get(KEY_HEADER)
    if key is None:
        return None
    if not KEY_PATTERN.match(key):
        raise ValidationError(
            {
                KEY_HEADER: _(
                    "The Idempotency-Key must be 1 to 100 printable ASCII characters "
                    "without spaces."
                )
            }
        )
    return key


def _unit(request, code: str, sku: str):
    """The unit the serial names among those the caller may see; None (flagged as an
    unknown serial at intake) when it names none; refused when it cannot be read or
    names several."""
    if not code.strip():
        return None
    found = resolve(code.strip(), user=request.user, sku=sku, ignore_case=True, limit=5)
    if found.reason == Reason.AMBIGUOUS:
        raise ValidationError(
            {
                "serial": _("%(serial)s names units of several models (%(skus)s): give the sku.")
                % {
                    "serial": found.code.serial or code,
                    "skus": ", ".join(sorted(u.sku.code for u in found.units)),
                }
            }
        )
    if found.reason in (Reason.UNREADABLE, Reason.NOT_A_LABEL):
        message = found.code.message or _("This is not one of our label addresses.")
        raise ValidationError({"serial": _("The code cannot be read: %(why)s") % {"why": message}})
    return found.unit


class RepairRequestView(ActorMixin, APIView):
    """File a repair request (报修) from an integration; see the module docstring."""

    perms_map = {"post": "service.add_workorder"}
    error_statuses = ("409", "422")

    @extend_schema(
        request=RepairRequestSerializer,
        parameters=[
            OpenApiParameter(
                KEY_HEADER,
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=False,
                description="a retried request with the same key answers the first response",
            )
        ],
        responses={201: OpenApiResponse(OpenApiTypes.OBJECT, description="the ticket")},
    )
    def post(self, request):
        key = _idempotency_key(request)
        given = RepairRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        v = dict(given.validated_data)
        photos_in = v.pop("photos", [])
        uploads = [Upload(p.get("name", ""), p["data"]) for p in photos_in]
        fields = {
            k: (value.code if isinstance(value, FaultCode) else value) for k, value in v.items()
        }
        idempotency = Idempotency(request.user, key, fingerprint(fields, uploads)) if key else None
        unit = _unit(request, v.get("serial", ""), v.get("sku", ""))
        photos = prepare_photos(uploads)
        data = Intake(
            contact_name=v["contact_name"],
            contact_phone=v["contact_phone"],
            kind=v["kind"],
            priority=v["priority"],
            mode=v["mode"],
            unit=unit,
            serial_given=v.get("serial", "") if unit is None else unit.serial,
            address=v.get("address", ""),
            adcode=v.get("adcode", ""),
            latitude=v.get("latitude"),
            longitude=v.get("longitude"),
            window_start=v.get("window_start"),
            window_end=v.get("window_end"),
            fault_code=v.get("fault_code"),
            description=v.get("description", ""),
        )
        receipt = submit(
            data,
            channel=v["channel"],
            photos=photos,
            user=request.user,
            idempotency=idempotency,
            allow_duplicate=v["allow_duplicate"],
        )
        response = Response(receipt.body, status=status.HTTP_201_CREATED)
        if receipt.replayed:
            response["Idempotent-Replayed"] = "true"
        return response
