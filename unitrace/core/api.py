"""API plumbing: domain errors become 400s with a clear body; actor attribution."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from unitrace.core.context import _current, actor_for_user
from unitrace.core.middleware import client_ip


def exception_handler(exc, context):
    from unitrace.serials.ledger import BulkLedgerError, LedgerError

    if isinstance(exc, BulkLedgerError):
        return Response(
            {
                "detail": exc.message,
                "code": exc.code,
                "rows": [
                    {
                        "serial": e.unit.serial if e.unit else None,
                        "error": e.message,
                        "code": e.code,
                    }
                    for e in exc.errors
                ],
            },
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, LedgerError):
        return Response({"detail": str(exc), "code": exc.code}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ProtectedError):
        return Response(
            {
                "detail": "This record is still referenced and cannot be deleted.",
                "code": "protected",
            },
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DjangoValidationError):
        body = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)


class ActorMixin:
    """Token-authenticated users are known only after DRF authenticates: re-attribute."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        _current.set(
            actor_for_user(
                request.user,
                ip=client_ip(request),
                source="api",
                ua=request.META.get("HTTP_USER_AGENT", ""),
            )
        )
