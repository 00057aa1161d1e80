"""A session of a login with two-factor on reaches nothing before its code is given."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from unitrace.accounts import two_factor


class TwoFactorMiddleware:
    """After ``django_otp.middleware.OTPMiddleware``: unverified sessions of enrolled
    logins are sent to the code page (the API answers 403 in the one error body)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self.get_response(request)  # no session (API tokens, anonymous): no step
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.is_staff  # only staff enrol: other sessions pay no query here
            and not two_factor.verified(user)
            and not self._exempt(request.path)
            and two_factor.enrolled(user)
        ):
            if request.path.startswith("/api/"):
                body = {
                    "code": "two_factor_required",
                    "detail": _("Enter your two-factor code first."),
                    "field": None,
                    "rows": [],
                }
                return JsonResponse(body, status=403)
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:two_factor_verify')}?{query}")
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        allowed = [
            reverse("accounts:two_factor_verify"),
            reverse("accounts:logout"),
            "/" + settings.STATIC_URL.lstrip("/"),
            "/i18n/",
            "/jsi18n/",
        ]
        return any(path.startswith(p) for p in allowed)
