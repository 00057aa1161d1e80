"""Which SKUs and batches a user may see, and the list filters, for pages and exports.

SKUs are the public catalogue: every login with ``catalog.view_sku`` sees all of them.
Batches are production records: a partner login sees only those its own party
supplied, staff see all.
"""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from unitrace.catalog.models import SKU, Batch, Category, WarrantyStart
from unitrace.core.listing import search_text
from unitrace.parties.models import Party
from unitrace.parties.scope import scope_party_id

YES_NO = [("", _("all")), ("yes", _("yes")), ("no", _("no"))]


def skus_visible_to(user) -> QuerySet[SKU]:
    if not (user.is_authenticated and user.has_perm("catalog.view_sku")):
        return SKU.objects.none()
    return SKU.objects.select_related("category")


def batches_visible_to(user) -> QuerySet[Batch]:
    if not (user.is_authenticated and user.has_perm("catalog.view_batch")):
        return Batch.objects.none()
    queryset = Batch.objects.select_related("sku", "supplier")
    party_id = scope_party_id(user)
    if party_id is not None:
        queryset = queryset.filter(supplier_id=party_id)
    return queryset


class SkuFilters(forms.Form):
    q = forms.CharField(label=_("Code, name or GTIN"), required=False, max_length=100)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.all(), required=False, empty_label=_("all")
    )
    serialized = forms.ChoiceField(label=_("Serialized"), choices=YES_NO, required=False)
    warranty_start = forms.ChoiceField(
        label=_("Warranty starts at"),
        choices=[("", _("all")), *WarrantyStart.choices],
        required=False,
    )
    active = forms.ChoiceField(label=_("Active"), choices=YES_NO, required=False)


class BatchFilters(forms.Form):
    q = forms.CharField(label=_("Batch or SKU code"), required=False, max_length=100)
    qc_status = forms.ChoiceField(
        label=_("QC status"), choices=[("", _("all")), *Batch.QC.choices], required=False
    )
    supplier = forms.ModelChoiceField(
        label=_("Supplier"),
        queryset=Party.objects.filter(kind=Party.Kind.SUPPLIER),
        required=False,
        empty_label=_("all"),
    )


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def filtered_skus(user, params: Mapping[str, str]) -> tuple[QuerySet[SKU], SkuFilters]:
    """The SKUs the user may see that match the filters; filters that do not validate
    are left out (the form shows why)."""
    form = SkuFilters(params)
    queryset = skus_visible_to(user)
    form.is_valid()
    data = form.cleaned_data
    q = search_text(data)
    if q:
        queryset = queryset.filter(
            Q(code__icontains=q) | Q(name__icontains=q) | Q(gtin__icontains=q)
        )
    if data.get("category"):
        queryset = queryset.filter(category=data["category"])
    for name in ("serialized", "active"):
        flag = _yes_no(data.get(name) or "")
        if flag is not None:
            queryset = queryset.filter(**{name: flag})
    if data.get("warranty_start"):
        queryset = queryset.filter(warranty_start=data["warranty_start"])
    return queryset.order_by("code"), form


def filtered_batches(user, params: Mapping[str, str]) -> tuple[QuerySet[Batch], BatchFilters]:
    form = BatchFilters(params)
    queryset = batches_visible_to(user)
    form.is_valid()
    data = form.cleaned_data
    q = search_text(data)
    if q:
        queryset = queryset.filter(Q(code__icontains=q) | Q(sku__code__icontains=q))
    if data.get("qc_status"):
        queryset = queryset.filter(qc_status=data["qc_status"])
    if data.get("supplier"):
        queryset = queryset.filter(supplier=data["supplier"])
    return queryset.order_by("-production_date", "sku__code", "code"), form
