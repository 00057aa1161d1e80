"""Input of the public check and output of diversion alerts."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from unitrace.authenticity.inputs import clean_region
from unitrace.authenticity.selectors import alert_dict


class VerifyInputSerializer(serializers.Serializer):
    """One of: ``token``; ``link`` (scanned text); ``serial`` + ``code``. Region optional."""

    token = serializers.CharField(required=False, allow_blank=True, max_length=64)
    link = serializers.CharField(required=False, allow_blank=True, max_length=500)
    serial = serializers.CharField(required=False, allow_blank=True, max_length=40)
    code = serializers.CharField(required=False, allow_blank=True, max_length=20)
    province = serializers.CharField(required=False, allow_blank=True, max_length=20)
    city = serializers.CharField(required=False, allow_blank=True, max_length=30)
    district = serializers.CharField(required=False, allow_blank=True, max_length=30)

    def validate(self, attrs):
        if not any(attrs.get(k, "").strip() for k in ("token", "link", "serial")):
            raise serializers.ValidationError(
                _("Give the token, a scanned link, or the serial number and verification code.")
            )
        try:
            attrs["region"] = clean_region(
                attrs.get("province", ""),
                attrs.get("city", ""),
                attrs.get("district", ""),
                required=False,
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict)
        return attrs


class DiversionAlertSerializer(serializers.Serializer):
    def to_representation(self, instance):
        return alert_dict(instance)


class AlertStatusSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
