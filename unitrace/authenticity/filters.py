"""One FilterSet for diversion alerts, used by the API and the alert page."""

import django_filters

from unitrace.authenticity.models import DiversionAlert


class DiversionAlertFilterSet(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=DiversionAlert.Status.choices)
    source = django_filters.ChoiceFilter(choices=DiversionAlert.Source.choices)
    distributor = django_filters.CharFilter(field_name="distributor__code")
    province = django_filters.CharFilter(field_name="province", lookup_expr="startswith")
    serial = django_filters.CharFilter(field_name="unit__serial")
    detected_after = django_filters.DateFilter(field_name="detected_at", lookup_expr="date__gte")
    detected_before = django_filters.DateFilter(field_name="detected_at", lookup_expr="date__lte")

    class Meta:
        model = DiversionAlert
        fields = ["status", "source", "distributor", "province", "serial"]
