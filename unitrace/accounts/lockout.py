"""What a locked-out login is told, on a page or in the API's one error body."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from unitrace.core.errors import error_body

LOCKED_OUT_CODE = "login_locked"


def lockout_message() -> str:
    minutes = max(1, round(settings.AXES_COOLOFF_TIME * 60))
    return _(
        "Too many failed logins for this account or from this address. Try again in "
        "%(minutes)s minutes, or ask an administrator to unlock the account."
    ) % {"minutes": minutes}


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login (``AXES_LOCKOUT_CALLABLE``): 429."""
    if request.path.startswith("/api/"):
        return JsonResponse(error_body(LOCKED_OUT_CODE, lockout_message()), status=429)
    response: HttpResponse = render(
        request, "accounts/locked_out.html", {"message": lockout_message()}, status=429
    )
    return response
