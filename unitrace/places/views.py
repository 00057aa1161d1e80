"""Warehouse and bin pages: list with filters and search, detail with its bins and
the warehouses under it, create and edit, adding a bin."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from unitrace.core.importing import start_import
from unitrace.core.listing import (
    Column,
    Listing,
    add_errors,
    edit_record,
    export_query,
    page_of,
    page_query,
    row,
)
from unitrace.core.permissions import needs
from unitrace.places.exports import WAREHOUSE_EXPORT
from unitrace.places.forms import BinForm, WarehouseForm
from unitrace.places.importing import JOB_KIND, WAREHOUSE_TEMPLATE
from unitrace.places.selectors import filtered_warehouses, warehouses_visible_to
from unitrace.places.services import add_bin, save_warehouse_record

COLUMNS = [
    Column(gettext_lazy("Code"), "mono"),
    Column(gettext_lazy("Name")),
    Column(gettext_lazy("Level")),
    Column(gettext_lazy("Parent"), "mono hide-narrow"),
    Column(gettext_lazy("Region"), "hide-narrow"),
    Column(gettext_lazy("Bins"), "num hide-narrow"),
]
MAX_BINS_SHOWN = 200


@needs("places.view_warehouse")
def warehouse_list(request):
    queryset, filters = filtered_warehouses(request.user, request.GET)
    page = page_of(request, queryset)
    listing = Listing(
        title=_("Warehouses and bins"),
        columns=COLUMNS,
        rows=[
            row(
                reverse("places:warehouse_detail", args=[w.pk]),
                COLUMNS,
                [
                    w.code,
                    w.name,
                    w.get_level_display(),
                    w.parent.code if w.parent else "",
                    "".join(p for p in (w.province, w.city) if p),
                    w.bin_count,
                ],
                inactive=not w.active,
            )
            for w in page
        ],
        page=page,
        query=page_query(request),
        filters=filters,
        export_name=WAREHOUSE_EXPORT.name,
        export_query=export_query(request),
    )
    if request.user.has_perm("places.add_warehouse"):
        listing.new_url = reverse("places:warehouse_create")
        listing.new_label = _("New warehouse")
    listing.offer_import(request.user, WAREHOUSE_TEMPLATE, "places:warehouse_import")
    return render(request, "core/masterdata/list.html", {"listing": listing})


@needs("places.view_warehouse", *WAREHOUSE_TEMPLATE.permissions)
@require_POST
def warehouse_import(request):
    """A file of warehouses and bins, checked and written as a job."""
    return start_import(request, JOB_KIND, "places:warehouse_list")


def _detail_context(request, warehouse, bin_form=None) -> dict:
    bins = list(warehouse.bins.order_by("code")[: MAX_BINS_SHOWN + 1])
    children = list(warehouses_visible_to(request.user).filter(parent=warehouse))
    bin_columns = [Column(_("Bin"), "mono")]
    child_columns = [Column(_("Code"), "mono"), Column(_("Name")), Column(_("Level"))]
    bins_table = {
        "title": _("Bins"),
        "columns": bin_columns,
        "rows": [row("", bin_columns, [b.code]) for b in bins[:MAX_BINS_SHOWN]],
        "empty": _("No bins: units are kept in the warehouse as a whole."),
        "more": _("The first %(n)d bins are shown.") % {"n": MAX_BINS_SHOWN}
        if len(bins) > MAX_BINS_SHOWN
        else "",
    }
    if request.user.has_perm("places.add_bin"):
        bins_table.update(
            form=bin_form or BinForm(warehouse=warehouse),
            form_action=reverse("places:bin_add", args=[warehouse.pk]),
            form_id="bin-form",
            form_label=_("Add bin"),
        )
    return {
        "eyebrow": warehouse.get_level_display(),
        "heading": f"{warehouse.code} {warehouse.name}",
        "inactive": not warehouse.active,
        "facts": [
            (_("Code"), warehouse.code),
            (_("Name"), warehouse.name),
            (_("Level"), warehouse.get_level_display()),
            (_("Parent"), warehouse.parent),
            (_("Province"), warehouse.province),
            (_("City"), warehouse.city),
        ],
        "tables": [
            bins_table,
            {
                "title": _("Warehouses under it"),
                "columns": child_columns,
                "rows": [
                    row(
                        reverse("places:warehouse_detail", args=[c.pk]),
                        child_columns,
                        [c.code, c.name, c.get_level_display()],
                    )
                    for c in children
                ],
                "empty": _("None."),
            },
        ],
        "links": [(reverse("places:warehouse_list"), _("All warehouses"))],
        "edit_url": reverse("places:warehouse_edit", args=[warehouse.pk])
        if request.user.has_perm("places.change_warehouse")
        else "",
    }


@needs("places.view_warehouse")
def warehouse_detail(request, pk: int):
    warehouse = get_object_or_404(warehouses_visible_to(request.user), pk=pk)
    return render(request, "core/masterdata/detail.html", _detail_context(request, warehouse))


@needs("places.view_warehouse", "places.add_warehouse")
@require_http_methods(["GET", "POST"])
def warehouse_create(request):
    return edit_record(
        request,
        WarehouseForm(request.POST or None),
        save_warehouse_record,
        heading=_("New warehouse"),
        eyebrow=_("Warehouses and bins"),
        cancel_url=reverse("places:warehouse_list"),
        saved=_("Warehouse %(record)s saved."),
        detail="places:warehouse_detail",
    )


@needs("places.view_warehouse", "places.change_warehouse")
@require_http_methods(["GET", "POST"])
def warehouse_edit(request, pk: int):
    warehouse = get_object_or_404(warehouses_visible_to(request.user), pk=pk)
    return edit_record(
        request,
        WarehouseForm(request.POST or None, instance=warehouse),
        save_warehouse_record,
        heading=_("Edit %(code)s") % {"code": warehouse.code},
        eyebrow=_("Warehouse"),
        cancel_url=reverse("places:warehouse_detail", args=[warehouse.pk]),
        saved=_("Warehouse %(record)s saved."),
        detail="places:warehouse_detail",
    )


@needs("places.view_warehouse")
@require_POST
def bin_add(request, pk: int):
    warehouse = get_object_or_404(warehouses_visible_to(request.user), pk=pk)
    if not request.user.has_perm("places.add_bin"):
        raise PermissionDenied
    form = BinForm(request.POST, warehouse=warehouse)
    if form.is_valid():
        try:
            created = add_bin(form.save(commit=False))
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Bin %(bin)s added.") % {"bin": created})
            return redirect("places:warehouse_detail", pk=warehouse.pk)
    context = _detail_context(request, warehouse, bin_form=form)
    return render(request, "core/masterdata/detail.html", context, status=400)
