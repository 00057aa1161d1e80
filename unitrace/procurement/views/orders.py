"""Purchase order pages: list, create, detail (lines, serial list, receipts), status."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from unitrace.core.jobs import submit_job
from unitrace.core.permissions import needs
from unitrace.core.tabular import runs_in_request
from unitrace.core.uploads import read_upload
from unitrace.procurement import asn as asn_service
from unitrace.procurement import orders as services
from unitrace.procurement.forms import AsnUploadForm, LineFormSet, OrderForm
from unitrace.procurement.jobs import ASN_IMPORT
from unitrace.procurement.models import PurchaseOrder
from unitrace.procurement.selectors import orders_visible_to, receipt_figures
from unitrace.procurement.views.common import datalists, errors_of, order_for, page_of, page_query

STATUS_LABELS = dict(PurchaseOrder.Status.choices)


@needs("procurement.view_purchaseorder")
def order_list(request):
    queryset = orders_visible_to(request.user).select_related("supplier", "warehouse")
    status = request.GET.get("status", "")
    q = request.GET.get("q", "").strip()
    if status in STATUS_LABELS:
        queryset = queryset.filter(status=status)
    if q:
        queryset = queryset.filter(number__icontains=q) | queryset.filter(supplier__code=q)
    page = page_of(request, queryset.order_by("-order_date", "-id"))
    return render(
        request,
        "procurement/order_list.html",
        {
            "page": page,
            "query": page_query(request),
            "status": status,
            "q": q,
            "statuses": PurchaseOrder.Status.choices,
        },
    )


@needs("procurement.add_purchaseorder")
@require_http_methods(["GET", "POST"])
def order_create(request):
    form = OrderForm(request.POST or None)
    lines = LineFormSet(request.POST or None, prefix="lines")
    problems: list[str] = []
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        v = form.cleaned_data
        items = [
            services.LineInput(
                row["sku"], row["quantity"], row.get("unit_price") or 0, row.get("expected_date")
            )
            for row in lines.cleaned_data
            if row.get("sku")
        ]
        try:
            order = services.create_order(
                v["supplier"],
                items,
                number=v["number"],
                warehouse=v["warehouse"],
                order_date=v["order_date"],
                currency=v["currency"],
                notes=v["notes"],
                user=request.user,
            )
        except ValidationError as exc:
            problems = errors_of(exc)
        else:
            messages.success(request, _("Purchase order %(n)s created.") % {"n": order.number})
            return redirect("procurement:order_detail", pk=order.pk)
    return render(
        request,
        "procurement/order_form.html",
        {"form": form, "lines": lines, "problems": problems, **datalists()},
    )


def _detail_context(request, order: PurchaseOrder) -> dict:
    receipts = list(order.receipts.select_related("warehouse", "opened_by"))
    return {
        "order": order,
        "lines": order.lines.select_related("sku").order_by("pk"),
        "receipts": [{"receipt": r, "figures": receipt_figures(r)} for r in receipts],
        "suspects": order.suspects.select_related("unit", "receipt").order_by("-id")[:50],
        "asn_rows": order.expected_serials.select_related("sku", "receipt").order_by("pk")[:20],
        "asn_count": order.expected_serials.count(),
        "asn_form": AsnUploadForm(),
        "receivable": order.status in services.RECEIVABLE,
        "asn_editable": order.status in services.ASN_EDITABLE,
    }


@needs("procurement.view_purchaseorder")
def order_detail(request, pk: int):
    order = order_for(request.user, pk)
    return render(request, "procurement/order_detail.html", _detail_context(request, order))


@needs("procurement.change_purchaseorder")
@require_POST
def order_status(request, pk: int):
    order = order_for(request.user, pk)
    action = request.POST.get("action", "")
    if action not in services.STATUS_ACTIONS:
        raise PermissionDenied
    try:
        order = services.STATUS_ACTIONS[action](order)
    except ValidationError as exc:
        for problem in errors_of(exc):
            messages.error(request, problem)
    else:
        messages.success(
            request,
            _("%(n)s is now %(status)s.")
            % {"n": order.number, "status": order.get_status_display()},
        )
    return redirect("procurement:order_detail", pk=order.pk)


@needs("procurement.view_purchaseorder", "procurement.add_expectedserial")
@require_POST
def asn_upload(request, pk: int):
    """The supplier's serial list from a file: stored, or every bad row shown."""
    order = order_for(request.user, pk)
    form = AsnUploadForm(request.POST, request.FILES)
    context = _detail_context(request, order)
    context["asn_form"] = form
    if form.is_valid():
        upload, mode = form.cleaned_data["file"], form.cleaned_data["mode"]
        content = read_upload(upload)
        if not runs_in_request(content, upload.name):
            job = submit_job(
                ASN_IMPORT,
                user=request.user,
                input_name=upload.name,
                input_data=content,
                params={"order": order.pk, "mode": mode},
            )
            return redirect("core:job_detail", pk=job.pk)
        try:
            result = asn_service.import_asn_file(order, content, upload.name, mode=mode)
        except asn_service.AsnRefused as refused:
            context["asn_refused"] = str(refused)
            context["asn_errors"] = refused.result.errors[:200]
        except ValidationError as exc:
            context["asn_refused"] = "; ".join(errors_of(exc))
        else:
            messages.success(
                request,
                _("%(n)d serials added to the supplier's list of %(order)s.")
                % {"n": result.created, "order": order.number},
            )
            if not result.errors:
                return redirect("procurement:order_detail", pk=order.pk)
            context["asn_errors"] = result.errors[:200]
            context.update(_detail_context(request, order) | {"asn_errors": result.errors[:200]})
    status = 400 if context.get("asn_refused") or form.errors else 200
    return render(request, "procurement/order_detail.html", context, status=status)
