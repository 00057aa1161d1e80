"""API plumbing: every refusal answers in one body; actor attribution.

Whatever refused a request (a service's ``DomainError``, DRF's own validation,
authentication, permission, throttling or routing errors, a model ``ValidationError``,
a delete blocked by references), the client gets::

    {"code": "...", "detail": "...", "field": "..." | null, "rows": [...]}

``code`` is stable and machine-readable, ``detail`` a sentence for people, ``field`` the
input at fault when there is exactly one, ``rows`` one ``RowError`` per refused row or
field error (``row`` null where there is no list position). ``meta`` is added only when a
refusal carries figures besides the rows (an import's counts, a throttle's wait).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from unitrace.core.context import _current, actor_for_user
from unitrace.core.errors import DomainError, RowError, error_body
from unitrace.core.middleware import client_ip


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """The ``EXCEPTION_HANDLER``: one body for every error (see the module docstring)."""
    if isinstance(exc, DomainError):
        if exc.status >= 500:
            return None  # a guard that only a bug trips: Django's 500, logged
        return Response(exc.as_body(), status=exc.status)
    if isinstance(exc, ProtectedError):
        return Response(
            error_body("protected", _("This record is still referenced and cannot be deleted.")),
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        return Response(validation_body(detail), status=status.HTTP_400_BAD_REQUEST)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # not an API error: a bug, left to Django's 500 handling
    if isinstance(exc, exceptions.ValidationError):
        response.data = validation_body(exc.detail)
    elif isinstance(exc, exceptions.APIException):
        response.data = _api_exception_body(exc)
    else:  # Http404 and Django's PermissionDenied, which DRF answered as its own
        own = exceptions.NotFound if response.status_code == 404 else exceptions.PermissionDenied
        response.data = error_body(
            own.default_code, response.data.get("detail", own.default_detail)
        )
    return response


def _api_exception_body(exc: exceptions.APIException) -> dict[str, Any]:
    codes = exc.get_codes()
    code = codes if isinstance(codes, str) else exc.default_code
    meta = {"wait": exc.wait} if isinstance(exc, exceptions.Throttled) and exc.wait else None
    detail = exc.detail if isinstance(exc.detail, str) else exc.default_detail
    return error_body(code, detail, meta=meta)


def validation_body(detail: Any) -> dict[str, Any]:
    """Field errors as rows (``field`` = path like ``lines.0.serial``), one body for all.

    ``field`` is set when every error is about the same input; ``detail`` is the message
    when there is only one, else a summary.
    """
    rows = list(_field_errors(detail, ""))
    fields = {r.field for r in rows}
    field = next(iter(fields)) if len(fields) == 1 and "" not in fields else None
    message = rows[0].message if len(rows) == 1 else _("Invalid input.")
    return error_body("invalid", message, field=field, rows=rows)


def _field_errors(detail: Any, path: str):
    if isinstance(detail, dict):
        for name, value in detail.items():
            name = "" if name in ("non_field_errors", "__all__") else str(name)
            yield from _field_errors(value, f"{path}.{name}" if path and name else path or name)
    elif isinstance(detail, list | tuple):
        nested = any(isinstance(item, dict | list | tuple) for item in detail)
        for index, item in enumerate(detail):
            if nested:
                if item:  # an empty entry: that list item had no error
                    yield from _field_errors(item, f"{path}.{index}" if path else str(index))
            else:
                yield from _field_errors(item, path)
    else:
        code = getattr(detail, "code", None) or "invalid"
        yield RowError(None, field=path, code=str(code), message=str(detail))


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


def not_found(request, exception=None):
    """``handler404``: a path under /api/ that no route matches answers in the one body.

    A route's own 404 already does (DRF's ``NotFound``); this covers the URLs the router
    refuses (``/api/v1/units/1.5/``), which Django would answer with an HTML page. Pages
    keep Django's own 404.
    """
    if request.path.startswith("/api/"):
        body = error_body(exceptions.NotFound.default_code, exceptions.NotFound.default_detail)
        return JsonResponse(body, status=status.HTTP_404_NOT_FOUND)
    return defaults.page_not_found(request, exception)
