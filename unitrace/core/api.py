"""API plumbing: domain errors become 400s with a clear body; actor attribution."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from unitrace.core.context import _current, actor_for_user
from unitrace.core.middleware import client_ip

ErrorRenderer = Callable[[Exception], Response]

# Renderers of domain errors that apps above core define (core imports no app): each app
# registers its own when it starts (e.g. ``serials`` for the ledger's refusals).
_error_renderers: dict[type[Exception], ErrorRenderer] = {}


def register_error_renderer(exc_type: type[Exception], render: ErrorRenderer) -> None:
    """Render ``exc_type`` (and its subclasses) with ``render``; the nearest class wins."""
    _error_renderers[exc_type] = render


def _registered_renderer(exc: Exception) -> ErrorRenderer | None:
    for klass in type(exc).__mro__:
        render = _error_renderers.get(klass)
        if render is not None:
            return render
    return None


def exception_handler(exc, context):
    render = _registered_renderer(exc)
    if render is not None:
        return render(exc)
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
