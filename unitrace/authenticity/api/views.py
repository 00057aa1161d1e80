"""The public check and the channel team's alerts over the API. Thin, like the pages."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from unitrace.authenticity import ratelimit
from unitrace.authenticity.api.serializers import (
    AlertStatusSerializer,
    DiversionAlertSerializer,
    VerifyInputSerializer,
)
from unitrace.authenticity.diversion import set_alert_status
from unitrace.authenticity.filters import DiversionAlertFilterSet
from unitrace.authenticity.models import DiversionAlert
from unitrace.authenticity.selectors import (
    ALERT_RELATED,
    alert_dict,
    alert_stats,
    alerts_visible_to,
)
from unitrace.authenticity.verification import Client, Credentials, verify
from unitrace.core.api import ActorMixin
from unitrace.core.errors import error_body
from unitrace.core.middleware import client_ip


class VerifyView(APIView):
    """防伪查询 for apps and mini-programs: public, rate-limited, nothing personal.

    A wrong code and an unknown serial get the same answer ("unknown").
    """

    authentication_classes: list = []  # public: no session, so no CSRF either
    permission_classes = [AllowAny]
    error_statuses = ("429",)  # its own rate limit, not a DRF throttle

    @extend_schema(request=VerifyInputSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request):
        return self._check(request, request.data)

    @extend_schema(parameters=[VerifyInputSerializer], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return self._check(request, request.query_params)

    def _check(self, request, data) -> Response:
        budget = ratelimit.take("verify", client_ip(request))
        if not budget.allowed:
            message = _(
                "Too many checks from your network in a short time. "
                "Please wait %(seconds)d seconds and try again."
            ) % {"seconds": budget.retry_after}
            return Response(
                error_body("rate_limited", message, meta={"wait": budget.retry_after}),
                status=status.HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": str(budget.retry_after)},
            )
        serializer = VerifyInputSerializer(data=data)
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        credentials = Credentials(
            token=values.get("token", ""),
            link=values.get("link", ""),
            serial=values.get("serial", ""),
            code=values.get("code", ""),
        )
        client = Client(client_ip(request), request.META.get("HTTP_USER_AGENT", ""))
        answer = verify(credentials, client, values["region"])
        response = Response(answer.public())
        response["Cache-Control"] = "no-store"
        return response


class DiversionAlertViewSet(
    ActorMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Units seen outside their distributor's regions; acknowledge or dismiss them."""

    serializer_class = DiversionAlertSerializer
    filterset_class = DiversionAlertFilterSet
    perms_map = {
        "list": "authenticity.view_diversionalert",
        "retrieve": "authenticity.view_diversionalert",
        "stats": "authenticity.view_diversionalert",
        "acknowledge": "authenticity.change_diversionalert",
        "dismiss": "authenticity.change_diversionalert",
    }

    def get_queryset(self):
        return (
            alerts_visible_to(self.request.user)
            .select_related(*ALERT_RELATED)
            .order_by("-detected_at", "-id")
        )

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=False, methods=["get"])
    def stats(self, request):
        """Alerts by distributor, region and month; open against closed."""
        return Response(alert_stats(self.filter_queryset(self.get_queryset())))

    def _set_status(self, request, new_status: str) -> Response:
        alert = self.get_object()
        serializer = AlertStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        set_alert_status(
            alert.pk, new_status, user=request.user, note=serializer.validated_data.get("note", "")
        )
        return Response(alert_dict(self.get_queryset().get(pk=alert.pk)))

    @extend_schema(request=AlertStatusSerializer, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        return self._set_status(request, DiversionAlert.Status.ACKNOWLEDGED)

    @extend_schema(request=AlertStatusSerializer, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        return self._set_status(request, DiversionAlert.Status.DISMISSED)
