"""OpenAPI for the one error body: an ``Error`` component on every operation.

Every operation documents the refusals it can answer with, all in the shape the API's
exception handler renders (``unitrace.core.api``): 400 (invalid input or a refusal by
the rules), 401/403 (not signed in / not allowed) unless the endpoint is public, 404 on
paths naming an object, 409 on deletes (a record still referenced), 415 where a body is
read (a content type no parser takes, or a malformed multipart body) and 429 where a
throttle applies.
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny


class RowErrorSerializer(serializers.Serializer):
    """One refused row of a list or a file, or one field error of the input."""

    row = serializers.IntegerField(
        allow_null=True, help_text="row as the user sees it (Excel row, list position)"
    )
    field = serializers.CharField(
        allow_blank=True, help_text="column or input at fault, e.g. serial or lines.0.sku"
    )
    code = serializers.CharField(help_text="stable reason, e.g. duplicate, unknown_serial")
    message = serializers.CharField(help_text="what is wrong, for people")
    value = serializers.CharField(allow_blank=True, help_text="the text given")


class ErrorSerializer(serializers.Serializer):
    """Every error the API answers with."""

    code = serializers.CharField(
        help_text="stable machine code, e.g. invalid, not_found, illegal_transition"
    )
    detail = serializers.CharField(help_text="what went wrong, for people")
    field = serializers.CharField(
        allow_null=True, help_text="the input at fault when there is exactly one"
    )
    rows = RowErrorSerializer(many=True, help_text="refused rows or field errors")
    meta = serializers.DictField(
        required=False, help_text="figures besides the rows, e.g. an import's counts"
    )


ERRORS = {
    "400": "Invalid input, or refused by the rules (see code and rows)",
    "401": "Not signed in",
    "403": "Not allowed",
    "404": "Not found (or not visible to you)",
    "409": "Still referenced, or conflicts with the current state",
    "422": "The request conflicts with an earlier one (e.g. an Idempotency-Key reused)",
    "415": "Unsupported media type (send JSON, a form or multipart data)",
    "429": "Too many requests",
}


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema plus the error responses of every operation."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for status_code in self.error_codes():
            if status_code not in responses:
                responses[status_code] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=ERRORS[status_code]),
                    status_code,
                    direction=direction,
                )
        return responses

    def error_codes(self) -> list[str]:
        codes = ["400"]
        if not all(p is AllowAny for p in getattr(self.view, "permission_classes", [])):
            codes += ["401", "403"]
        if "{" in self.path:
            codes.append("404")
        if self.method == "DELETE":
            codes.append("409")
        if self.method in ("POST", "PUT", "PATCH"):  # a body in a type no parser reads
            codes.append("415")
        if getattr(self.view, "throttle_classes", None):
            codes.append("429")
        # statuses a view answers by itself (e.g. its own rate limit), in the same body
        codes += [c for c in getattr(self.view, "error_statuses", ()) if c not in codes]
        return codes
