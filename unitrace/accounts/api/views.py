import copy

from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from unitrace.accounts.lockout import LOCKED_OUT_CODE, lockout_message
from unitrace.core.throttling import ScopedRateThrottle


class LoginLocked(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = LOCKED_OUT_CODE
    default_detail = _("Too many failed logins.")


class TokenView(ObtainAuthToken):
    """POST username + password, get ``{"token": ...}``; rate-limited against guessing.

    Besides the per-process throttle, the login limits of every login path (django-axes,
    shared by all workers) apply: a locked-out account or address gets 429.
    """

    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        try:
            serializer.is_valid(raise_exception=True)
        except exceptions.ValidationError:
            if getattr(request, "axes_locked_out", False):
                raise LoginLocked(lockout_message()) from None
            raise
        user = serializer.validated_data["user"]
        token, _created = Token.objects.get_or_create(user=user)
        # a token is a login: logged (django-axes' access log) as a page login is, but
        # without a session (the log would create one for a client that uses none)
        sessionless = copy.copy(request._request)
        sessionless.__dict__.pop("session", None)
        user_logged_in.send(sender=type(user), request=sessionless, user=user)
        return Response({"token": token.key})
