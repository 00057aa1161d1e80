"""Which warehouses a user may see, and the list's filters, for pages and exports.

Warehouses are the company's own places: staff with ``places.view_warehouse`` see all
of them; a partner login (distributor, supplier, service partner) sees none.
"""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from unitrace.core.listing import search_text
from unitrace.parties.scope import scope_party_id
from unitrace.places.models import Warehouse

YES_NO = [("", _("all")), ("yes", _("yes")), ("no", _("no"))]


def warehouses_visible_to(user) -> QuerySet[Warehouse]:
    if not (user.is_authenticated and user.has_perm("places.view_warehouse")):
        return Warehouse.objects.none()
    if scope_party_id(user) is not None:
        return Warehouse.objects.none()
    return Warehouse.objects.select_related("parent")


class WarehouseFilters(forms.Form):
    q = forms.CharField(label=_("Code, name or city"), required=False, max_length=100)
    level = forms.ChoiceField(
        label=_("Level"), choices=[("", _("all")), *Warehouse.Level.choices], required=False
    )
    province = forms.CharField(label=_("Province"), required=False, max_length=20)
    active = forms.ChoiceField(label=_("Active"), choices=YES_NO, required=False)


def filtered_warehouses(
    user, params: Mapping[str, str]
) -> tuple[QuerySet[Warehouse], WarehouseFilters]:
    """The warehouses the user may see that match the filters (with their bin count);
    a filter that does not validate is left out and the form says why."""
    form = WarehouseFilters(params)
    queryset = warehouses_visible_to(user)
    form.is_valid()
    data = form.cleaned_data
    q = search_text(data)
    if q:
        queryset = queryset.filter(
            Q(code__icontains=q) | Q(name__icontains=q) | Q(city__icontains=q)
        )
    if data.get("level"):
        queryset = queryset.filter(level=data["level"])
    if data.get("province"):
        queryset = queryset.filter(province__startswith=data["province"].strip())
    flag = {"yes": True, "no": False}.get(data.get("active") or "")
    if flag is not None:
        queryset = queryset.filter(active=flag)
    return queryset.annotate(bin_count=Count("bins")).order_by("code"), form
