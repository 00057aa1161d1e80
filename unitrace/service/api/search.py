"""``GET /api/v1/service-search/?q=``: the agent console's search for a call-centre system."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from unitrace.core.fields import IntegerField
from unitrace.core.permissions import RolePermission, log_denial
from unitrace.core.schema import AutoSchema
from unitrace.service.search import DEFAULT_LIMIT, MAX_LIMIT, MAX_QUERY, may_search, search

MASKED = "masked without permission to see personal data"


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=MAX_QUERY,
        help_text="a serial or its beginning, a scanned code (GS1 string, label URL), a "
        "phone number or its last four digits, a customer's name or a work-order number",
    )
    limit = serializers.IntegerField(
        min_value=1, max_value=MAX_LIMIT, default=DEFAULT_LIMIT, help_text="at most per list"
    )


class WorkOrderHitSerializer(serializers.Serializer):
    id = IntegerField(big=True)
    number = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField()
    open = serializers.BooleanField()
    priority = serializers.CharField()
    kind = serializers.CharField()
    opened_at = serializers.CharField()
    unit_id = IntegerField(big=True, allow_null=True)
    serial = serializers.CharField()
    customer_id = IntegerField(big=True, allow_null=True)
    contact_name = serializers.CharField(help_text=MASKED)
    contact_phone = serializers.CharField(help_text=MASKED)
    url = serializers.CharField(allow_null=True, help_text="the work order's page, if any")


class UnitHitSerializer(serializers.Serializer):
    id = IntegerField(big=True)
    serial = serializers.CharField()
    sku = serializers.CharField()
    sku_name = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    holder_id = IntegerField(big=True, allow_null=True)
    holder_name = serializers.CharField(help_text="a person's name " + MASKED)
    url = serializers.CharField(help_text="the unit's file")
    work_orders = WorkOrderHitSerializer(many=True, help_text="open work orders")
    new_work_order_url = serializers.CharField(allow_null=True)


class CustomerSerializer(serializers.Serializer):
    id = IntegerField(big=True)
    code = serializers.CharField()
    name = serializers.CharField(help_text=MASKED)
    phone = serializers.CharField(help_text=MASKED)
    region = serializers.CharField()
    is_company = serializers.BooleanField()


class CustomerResultSerializer(serializers.Serializer):
    customer = CustomerSerializer()
    url = serializers.CharField(help_text="the customer's units")
    units = UnitHitSerializer(many=True)
    work_orders = WorkOrderHitSerializer(many=True, help_text="open work orders")
    new_work_order_url = serializers.CharField(allow_null=True)


class SearchResultSerializer(serializers.Serializer):
    query = serializers.CharField()
    kind = serializers.ChoiceField(choices=["number", "phone", "code", "name", "empty"])
    notice = serializers.CharField(help_text="why a part was not searched (digits need PII)")
    single_url = serializers.CharField(allow_null=True, help_text="the one match, if one")
    customers = CustomerResultSerializer(many=True)
    units = UnitHitSerializer(many=True)
    work_orders = WorkOrderHitSerializer(many=True)


class MaySearch(RolePermission):
    """Whoever sees units or work orders; what each finds is scoped by the search."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        if may_search(user):
            return True
        log_denial(request, "api", ["serials.view_unit | service.view_workorder"])
        return False


class ServiceSearchView(APIView):
    schema = AutoSchema()
    permission_classes = [MaySearch]

    @extend_schema(
        operation_id="service_search",
        summary="Find units, customers and work orders from one search text",
        description=(
            "The agent console's search (``service.search.search``): a work-order number "
            "finds that order; digits find customers and work orders by phone (a whole "
            "number, or its last four or more digits) and units by serial; a code finds "
            "the unit it names and the units whose serial begins with it; other text "
            "finds customers by name. Customers come with their units and open work "
            "orders, units with their holder and open work orders. Scoped like every "
            "list; searching by digits without permission to see personal data finds no "
            "customers (``notice`` says why), and names and phones are masked for such "
            "a user."
        ),
        parameters=[SearchQuerySerializer],
        responses=SearchResultSerializer,
    )
    def get(self, request):
        query = SearchQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        v = query.validated_data
        return Response(search(request.user, v["q"], v["limit"]).as_dict())
