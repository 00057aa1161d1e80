"""SKU and batch pages: list with filters and search, detail, create and edit."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from unitrace.catalog.exports import BATCH_EXPORT, SKU_EXPORT
from unitrace.catalog.forms import BatchForm, SkuForm
from unitrace.catalog.importing import BATCH_JOB_KIND, BATCH_TEMPLATE, JOB_KIND, SKU_TEMPLATE
from unitrace.catalog.models import SKU
from unitrace.catalog.selectors import (
    batches_visible_to,
    filtered_batches,
    filtered_skus,
    skus_visible_to,
)
from unitrace.catalog.services import save_batch, save_sku
from unitrace.core.importing import start_import
from unitrace.core.listing import (
    Column,
    Listing,
    edit_record,
    export_query,
    page_of,
    page_query,
    row,
)
from unitrace.core.permissions import needs

SKU_COLUMNS = [
    Column(gettext_lazy("Model code"), "mono"),
    Column(gettext_lazy("Name")),
    Column(gettext_lazy("Category"), "hide-narrow"),
    Column(gettext_lazy("Serial rule"), "mono hide-narrow"),
    Column(gettext_lazy("Warranty"), "nowrap"),
]
BATCH_COLUMNS = [
    Column(gettext_lazy("Batch"), "mono"),
    Column(gettext_lazy("SKU"), "mono"),
    Column(gettext_lazy("Production date"), "nowrap"),
    Column(gettext_lazy("Supplier"), "hide-narrow"),
    Column(gettext_lazy("Quantity"), "num hide-narrow"),
    Column(gettext_lazy("QC status")),
]


def _warranty(sku: SKU) -> str:
    return _("%(months)d months from %(start)s") % {
        "months": sku.warranty_months,
        "start": sku.get_warranty_start_display(),
    }


def _yes(value: bool) -> str:
    return _("yes") if value else _("no")


@needs("catalog.view_sku")
def sku_list(request):
    queryset, filters = filtered_skus(request.user, request.GET)
    page = page_of(request, queryset)
    listing = Listing(
        title=_("SKUs"),
        columns=SKU_COLUMNS,
        rows=[
            row(
                reverse("catalog:sku_detail", args=[s.pk]),
                SKU_COLUMNS,
                [s.code, s.name, s.category, s.serial_pattern, _warranty(s)],
                inactive=not s.active,
            )
            for s in page
        ],
        page=page,
        query=page_query(request),
        filters=filters,
        export_name=SKU_EXPORT.name,
        export_query=export_query(request),
        links=[(reverse("catalog:batch_list"), _("Batches"))]
        if request.user.has_perm("catalog.view_batch")
        else [],
    )
    if request.user.has_perm("catalog.add_sku"):
        listing.new_url, listing.new_label = reverse("catalog:sku_create"), _("New SKU")
    listing.offer_import(request.user, SKU_TEMPLATE, "catalog:sku_import")
    return render(request, "core/masterdata/list.html", {"listing": listing})


@needs("catalog.view_sku", *SKU_TEMPLATE.permissions)
@require_POST
def sku_import(request):
    """A SKU file: checked and written as a job (inside the request when it is small);
    the job page shows the outcome and the refused rows."""
    return start_import(request, JOB_KIND, "catalog:sku_list")


@needs("catalog.view_batch", *BATCH_TEMPLATE.permissions)
@require_POST
def batch_import(request):
    """A batch file: checked and written as a job, like the SKU file."""
    return start_import(request, BATCH_JOB_KIND, "catalog:batch_list")


@needs("catalog.view_sku")
def sku_detail(request, pk: int):
    sku = get_object_or_404(skus_visible_to(request.user), pk=pk)
    facts = [
        (_("Model code"), sku.code),
        (_("Name"), sku.name),
        (_("Category"), sku.category),
        (_("GTIN"), sku.gtin),
        (_("Serialized"), _yes(sku.serialized)),
        (_("Serial rule"), sku.serial_pattern),
        (_("Maximum serial length"), sku.serial_max_length),
        (_("Imported serials must match the rule"), _yes(sku.enforce_pattern)),
        (_("Warranty"), _warranty(sku)),
    ]
    tables = []
    components = list(sku.components.select_related("component"))
    tables.append(
        _table(
            _("Key components"),
            [Column(_("Component"), "mono"), Column(_("Name")), Column(_("Quantity"), "num")],
            [("", [c.component.code, c.component.name, c.quantity]) for c in components],
            _("No key components."),
        )
    )
    if request.user.has_perm("catalog.view_batch"):
        batches = batches_visible_to(request.user).filter(sku=sku)
        shown = list(batches.order_by("-production_date", "code")[:20])
        tables.append(
            _table(
                _("Batches"),
                [Column(_("Batch"), "mono"), Column(_("Production date")), Column(_("QC status"))],
                [
                    (
                        reverse("catalog:batch_detail", args=[b.pk]),
                        [b.code, b.production_date, b.get_qc_status_display()],
                    )
                    for b in shown
                ],
                _("No batches yet."),
            )
        )
    context = {
        "eyebrow": _("SKU"),
        "heading": f"{sku.code} {sku.name}",
        "inactive": not sku.active,
        "facts": facts,
        "tables": tables,
        "links": [(reverse("catalog:sku_list"), _("All SKUs"))],
        "edit_url": reverse("catalog:sku_edit", args=[sku.pk])
        if request.user.has_perm("catalog.change_sku")
        else "",
    }
    return render(request, "core/masterdata/detail.html", context)


def _table(title, columns, rows, empty) -> dict:
    return {
        "title": title,
        "columns": columns,
        "rows": [row(url, columns, values) for url, values in rows],
        "empty": empty,
    }


@needs("catalog.view_sku", "catalog.add_sku")
@require_http_methods(["GET", "POST"])
def sku_create(request):
    form = SkuForm(request.POST or None)
    return edit_record(
        request,
        form,
        save_sku,
        heading=_("New SKU"),
        eyebrow=_("SKUs"),
        cancel_url=reverse("catalog:sku_list"),
        saved=_("SKU %(record)s saved."),
        detail="catalog:sku_detail",
    )


@needs("catalog.view_sku", "catalog.change_sku")
@require_http_methods(["GET", "POST"])
def sku_edit(request, pk: int):
    sku = get_object_or_404(skus_visible_to(request.user), pk=pk)
    form = SkuForm(request.POST or None, instance=sku)
    return edit_record(
        request,
        form,
        save_sku,
        heading=_("Edit %(code)s") % {"code": sku.code},
        eyebrow=_("SKU"),
        cancel_url=reverse("catalog:sku_detail", args=[sku.pk]),
        saved=_("SKU %(record)s saved."),
        detail="catalog:sku_detail",
    )


@needs("catalog.view_batch")
def batch_list(request):
    queryset, filters = filtered_batches(request.user, request.GET)
    page = page_of(request, queryset)
    listing = Listing(
        title=_("Batches"),
        columns=BATCH_COLUMNS,
        rows=[
            row(
                reverse("catalog:batch_detail", args=[b.pk]),
                BATCH_COLUMNS,
                [
                    b.code,
                    b.sku.code,
                    b.production_date,
                    b.supplier.name if b.supplier else "",
                    b.quantity,
                    b.get_qc_status_display(),
                ],
            )
            for b in page
        ],
        page=page,
        query=page_query(request),
        filters=filters,
        export_name=BATCH_EXPORT.name,
        export_query=export_query(request),
        links=[(reverse("catalog:sku_list"), _("SKUs"))],
    )
    if request.user.has_perm("catalog.add_batch"):
        listing.new_url, listing.new_label = reverse("catalog:batch_create"), _("New batch")
    listing.offer_import(request.user, BATCH_TEMPLATE, "catalog:batch_import")
    return render(request, "core/masterdata/list.html", {"listing": listing})


@needs("catalog.view_batch")
def batch_detail(request, pk: int):
    batch = get_object_or_404(batches_visible_to(request.user), pk=pk)
    facts = [
        (_("SKU"), batch.sku),
        (_("Batch number"), batch.code),
        (_("Production date"), batch.production_date),
        (_("Factory"), batch.factory),
        (_("Production line"), batch.line),
        (_("Supplier"), batch.supplier),
        (_("Quantity"), batch.quantity),
        (_("QC status"), batch.get_qc_status_display()),
    ]
    context = {
        "eyebrow": _("Batch"),
        "heading": str(batch),
        "facts": facts,
        "tables": [],
        "links": [(reverse("catalog:batch_list"), _("All batches"))],
        "edit_url": reverse("catalog:batch_edit", args=[batch.pk])
        if request.user.has_perm("catalog.change_batch")
        else "",
    }
    return render(request, "core/masterdata/detail.html", context)


@needs("catalog.view_batch", "catalog.add_batch")
@require_http_methods(["GET", "POST"])
def batch_create(request):
    form = BatchForm(request.POST or None)
    return edit_record(
        request,
        form,
        save_batch,
        heading=_("New batch"),
        eyebrow=_("Batches"),
        cancel_url=reverse("catalog:batch_list"),
        saved=_("Batch %(record)s saved."),
        detail="catalog:batch_detail",
    )


@needs("catalog.view_batch", "catalog.change_batch")
@require_http_methods(["GET", "POST"])
def batch_edit(request, pk: int):
    batch = get_object_or_404(batches_visible_to(request.user), pk=pk)
    form = BatchForm(request.POST or None, instance=batch)
    return edit_record(
        request,
        form,
        save_batch,
        heading=_("Edit batch %(batch)s") % {"batch": batch},
        eyebrow=_("Batch"),
        cancel_url=reverse("catalog:batch_detail", args=[batch.pk]),
        saved=_("Batch %(record)s saved."),
        detail="catalog:batch_detail",
    )
