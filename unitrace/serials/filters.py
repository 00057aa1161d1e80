"""One FilterSet for the unit list, used by the API and the web page."""

import django_filters

from unitrace.serials.models import Unit
from unitrace.serials.statuses import STATUS_GROUPS, Status


class UnitFilterSet(django_filters.FilterSet):
    sku = django_filters.CharFilter(field_name="sku__code")
    batch = django_filters.CharFilter(field_name="batch__code")
    status = django_filters.MultipleChoiceFilter(choices=Status.choices)
    group = django_filters.ChoiceFilter(
        choices=[(k, k) for k in STATUS_GROUPS], method="filter_group"
    )
    holder = django_filters.CharFilter(field_name="holder__code")
    warehouse = django_filters.CharFilter(field_name="warehouse__code")
    serial = django_filters.CharFilter(field_name="serial")
    serial_prefix = django_filters.CharFilter(field_name="serial", lookup_expr="startswith")

    class Meta:
        model = Unit
        fields = ["sku", "batch", "status", "holder", "warehouse", "serial"]

    def filter_group(self, queryset, name, value):
        return queryset.filter(status__in=STATUS_GROUPS[value])
