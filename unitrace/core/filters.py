"""The API's filter backend: filters made from ``filterset_fields`` take sane moments.

``?opened_at__gte=0001-01-01T00:00:00`` parsed as a moment in the year 1, which
overflowed when the database adapter moved it to UTC (a 500). A date-time filter the
backend makes for a model's ``DateTimeField`` takes only moments within
:func:`unitrace.core.dates.in_range`; others are a 400 naming the parameter.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_filters import filters
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.rest_framework import FilterSet as DRFFilterSet

from unitrace.core.dates import in_range


class MomentField(forms.DateTimeField):
    default_error_messages = {
        "out_of_range": _("Enter a date and time between 2000 and a year from now."),
    }

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is not None and not in_range(moment):
            raise ValidationError(self.error_messages["out_of_range"], code="out_of_range")
        return moment


class MomentFilter(filters.DateTimeFilter):
    field_class = MomentField


class FilterSet(DRFFilterSet):
    FILTER_DEFAULTS = {
        **DRFFilterSet.FILTER_DEFAULTS,
        models.DateTimeField: {"filter_class": MomentFilter},
    }


class FilterBackend(DjangoFilterBackend):
    filterset_base = FilterSet
