"""Tokens over the API: the script login (``auth/token/``) and managing named tokens."""

import copy

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from unitrace.accounts import tokens
from unitrace.accounts.lockout import LOCKED_OUT_CODE, lockout_message
from unitrace.accounts.models import ApiToken
from unitrace.core.api import ActorMixin
from unitrace.core.context import acting_as, actor_for_user
from unitrace.core.middleware import client_ip
from unitrace.core.throttling import ScopedRateThrottle


class LoginLocked(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = LOCKED_OUT_CODE
    default_detail = _("Too many failed logins.")


class LoginSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)
    name = serializers.CharField(max_length=100, required=False, help_text="token name")


class TokenSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    active = serializers.BooleanField(source="is_active", read_only=True)
    expires_at = serializers.DateTimeField(required=False)
    apps = serializers.ListField(
        child=serializers.CharField(max_length=50), required=False, max_length=50
    )

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "prefix",
            "username",
            "scope",
            "apps",
            "created_at",
            "expires_at",
            "last_used_at",
            "revoked_at",
            "active",
        ]
        read_only_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]


class IssuedSerializer(TokenSerializer):
    token = serializers.CharField(read_only=True, help_text="the secret, shown only now")

    class Meta(TokenSerializer.Meta):
        fields = [*TokenSerializer.Meta.fields, "token"]


def _issued(issued: tokens.Issued) -> dict:
    data = dict(IssuedSerializer(issued.token).data)
    data["token"] = issued.key
    return data


class TokenView(APIView):
    """POST username + password, get ``{"token": ...}``; rate-limited against guessing.

    Issues a new named token (``name``, default "API") of the default expiry
    (``API_TOKEN_DEFAULT_DAYS``), read-write for every app; each call issues another.
    Besides the per-process throttle, the login limits of every login path (django-axes,
    shared by all workers) apply: a locked-out account or address gets 429.
    """

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    @extend_schema(request=LoginSerializer, responses=IssuedSerializer)
    def post(self, request):
        form = LoginSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        user = authenticate(
            request,
            username=form.validated_data["username"],
            password=form.validated_data["password"],
        )
        if user is None or not user.is_active:
            if getattr(request, "axes_locked_out", False):
                raise LoginLocked(lockout_message())
            raise serializers.ValidationError(
                {"non_field_errors": [_("Unable to log in with provided credentials.")]},
                code="authorization",
            )
        actor = actor_for_user(
            user, ip=client_ip(request), source="api", ua=request.META.get("HTTP_USER_AGENT", "")
        )
        with acting_as(actor):  # the change log names the user the token is issued to
            issued = tokens.issue(user, form.validated_data.get("name") or "API")
        # a token is a login: logged (django-axes' access log) as a page login is, but
        # without a session (the log would create one for a client that uses none)
        sessionless = copy.copy(request._request)
        sessionless.__dict__.pop("session", None)
        user_logged_in.send(sender=type(user), request=sessionless, user=user)
        return Response(_issued(issued))


class TokenListView(ActorMixin, APIView):
    """Your API tokens (every user's with ``accounts.change_apitoken``); POST issues one."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=TokenSerializer(many=True))
    def get(self, request):
        rows = tokens.manageable_by(request.user)
        if request.query_params.get("user") and request.user.has_perm("accounts.change_apitoken"):
            rows = rows.filter(user__username=request.query_params["user"])
        return Response(TokenSerializer(rows[:1000], many=True).data)

    @extend_schema(request=TokenSerializer, responses={201: IssuedSerializer})
    def post(self, request):
        form = TokenSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        issued = tokens.issue(
            request.user,
            data["name"],
            expires_at=data.get("expires_at"),
            scope=data.get("scope", ApiToken.Scope.WRITE),
            apps=data.get("apps"),
        )
        return Response(_issued(issued), status=status.HTTP_201_CREATED)


class TokenDetailView(ActorMixin, APIView):
    """One token; DELETE revokes it (your own, or anyone's for admins)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=TokenSerializer)
    def get(self, request, pk: int):
        token = get_object_or_404(tokens.manageable_by(request.user), pk=pk)
        return Response(TokenSerializer(token).data)

    @extend_schema(
        responses={200: TokenSerializer, 404: OpenApiResponse(description="no such token")}
    )
    def delete(self, request, pk: int):
        token = get_object_or_404(tokens.manageable_by(request.user), pk=pk)
        return Response(TokenSerializer(tokens.revoke(token, request.user)).data)
