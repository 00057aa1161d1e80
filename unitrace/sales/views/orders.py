"""Orders and deliveries: create an order, deliver against it by scanning, print the note."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from unitrace.core.pdf_fonts import PdfFontMissing
from unitrace.core.permissions import needs
from unitrace.core.uploads import read_upload
from unitrace.parties.masking import party_contact, query_filters, record_customer_read
from unitrace.places.models import Warehouse
from unitrace.sales.delivery import ScanCheck, check_scan, deliver_order
from unitrace.sales.forms import DeliverForm, OrderForm, OrderLineFormSet
from unitrace.sales.models import Delivery, SalesOrder
from unitrace.sales.notes import delivery_note_pdf
from unitrace.sales.orders import create_order
from unitrace.sales.output import order_dict, units_by_sku
from unitrace.sales.scanning import MAX_UNITS, InputRefused, rows_from_file, rows_from_text
from unitrace.sales.selectors import deliveries_for, orders_for
from unitrace.sales.views.common import datalists, page_of

MAX_SHOWN_ERRORS = 500


@needs("sales.view_salesorder")
def order_list(request):
    queryset = orders_for(request.user).order_by("-created_at", "-pk")
    status = request.GET.get("status", "")
    if status:
        queryset = queryset.filter(status=status)
    q = request.GET.get("q", "").strip()
    if q:
        queryset = queryset.filter(number__icontains=q) | queryset.filter(buyer__name__icontains=q)
    page = page_of(request, queryset)
    record_customer_read(
        request.user,
        SalesOrder,
        [o.buyer for o in page],
        rows=len(page),
        filters=query_filters(request.GET),
        what="page:sales-orders",
    )
    return render(
        request,
        "sales/order_list.html",
        {
            "page": page,
            "status": status,
            "q": q,
            "statuses": SalesOrder.Status.choices,
        },
    )


@needs("sales.add_salesorder")
@require_http_methods(["GET", "POST"])
def order_create(request):
    form = OrderForm(request.POST or None)
    lines = OrderLineFormSet(request.POST or None, prefix="lines")
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        v = form.cleaned_data
        wanted = [
            (f.cleaned_data["sku"], f.cleaned_data["quantity"])
            for f in lines.forms
            if f.cleaned_data.get("sku")
        ]
        prices = {
            f.cleaned_data["sku"].pk: f.cleaned_data["unit_price"]
            for f in lines.forms
            if f.cleaned_data.get("sku") and f.cleaned_data.get("unit_price") is not None
        }
        try:
            order = create_order(
                v["buyer"],
                wanted,
                prices=prices,
                channel=v["channel"],
                customer_ref=v["customer_ref"],
                notes=v["notes"],
                user=request.user,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Order %(number)s created.") % {"number": order.number})
            return redirect("sales:order_detail", order.pk)
    return render(
        request, "sales/order_form.html", {"form": form, "lines": lines, **datalists(request.user)}
    )


def _deliver(request, order: SalesOrder, form: DeliverForm) -> dict:
    """Run the delivery; on refusal the page shows the row-by-row list."""
    v = form.cleaned_data
    try:
        if v.get("file"):
            rows = rows_from_file(read_upload(v["file"]), v["file"].name)
        else:
            # the checked scans first, in scan order, then anything pasted below them
            rows = rows_from_text("\n".join([*form.scanned, v["serials"]]))
        delivery = deliver_order(
            order,
            v["warehouse"],
            rows,
            notes=v.get("notes", ""),
            user=request.user,
            carrier=v.get("carrier", ""),
            tracking_number=v.get("tracking_number", ""),
        )
    except InputRefused as refused:  # DeliveryRefused too
        return {
            "message": refused.message,
            "rows": refused.rows[:MAX_SHOWN_ERRORS],
            "error_count": len(refused.rows),
        }
    messages.success(
        request,
        _("Delivery %(number)s: %(n)d units delivered to %(buyer)s.")
        % {"number": delivery.number, "n": delivery.unit_count, "buyer": order.buyer.name},
    )
    return {"delivery": delivery}


@needs("sales.view_salesorder")
@require_http_methods(["GET", "POST"])
def order_detail(request, pk: int):
    order = get_object_or_404(orders_for(request.user), pk=pk)
    form = DeliverForm(
        request.POST or None, request.FILES or None, scanned=request.POST.getlist("scanned")
    )
    outcome: dict = {}
    if request.method == "POST":
        if not request.user.has_perm("sales.add_delivery"):
            raise PermissionDenied
        if form.is_valid():
            outcome = _deliver(request, order, form)
            if "delivery" in outcome:
                return redirect("sales:delivery_detail", outcome["delivery"].pk)
    return _order_page(request, order, form, outcome)


def _order_page(
    request, order: SalesOrder, form: DeliverForm, outcome: dict, check=None, label: str = ""
):
    can_deliver = request.user.has_perm("sales.add_delivery") and order.status in (
        SalesOrder.Status.OPEN,
        SalesOrder.Status.PARTIAL,
    )
    return render(
        request,
        "sales/order_detail.html",
        {
            "order": order,
            "data": order_dict(order, request.user, detail=True),
            "contact": party_contact(order.buyer, request.user),
            "form": form,
            "outcome": outcome,
            "check": check,
            "label": label,
            "kept": form.scanned,
            "can_deliver": can_deliver,
            **datalists(request.user),
        },
    )


@needs("sales.view_salesorder", "sales.add_delivery")
@require_POST
def order_scan(request, pk: int):
    """One scan of the delivery being put together: checked at once, nothing written.

    The answer (an htmx partial) declares its outcome for the scan field's tone and,
    when the unit may go, adds it to the list the delivery form submits. Without
    JavaScript the order page comes back with the answer.
    """
    order = get_object_or_404(orders_for(request.user), pk=pk)
    code = request.POST.get("code", "")
    warehouse_code = request.POST.get("warehouse", "").strip()
    warehouse = (
        Warehouse.objects.filter(code=warehouse_code, active=True).first()
        if warehouse_code
        else None
    )
    scanned = request.POST.getlist("scanned")[:MAX_UNITS]
    if warehouse_code and warehouse is None:
        check = ScanCheck(
            code.strip(),
            "refused",
            _("No active warehouse has the code %(value)s.") % {"value": warehouse_code},
            "unknown_warehouse",
        )
    else:
        check = check_scan(order, warehouse, code, scanned)
    if not request.htmx:
        kept = [*scanned, check.code] if check.outcome == "accepted" else scanned
        form = DeliverForm(initial={"warehouse": warehouse_code}, scanned=kept)
        return _order_page(request, order, form, {}, check, _scan_label(check))
    counts = {"scanned": check.scanned, **{f"sku:{k}": n for k, n in check.per_line.items()}}
    return render(
        request,
        "sales/_delivery_scan.html",
        {"check": check, "counts_json": json.dumps(counts), "label": _scan_label(check)},
    )


# The scan log's badge: a word or two, the message above it says the rest.
SCAN_LABELS = {
    "duplicate": gettext_lazy("scanned twice"),
    "wrong_warehouse": gettext_lazy("in another warehouse"),
    "wrong_sku": gettext_lazy("not ordered"),
    "unknown_serial": gettext_lazy("unknown"),
    "unreadable": gettext_lazy("unreadable"),
    "ambiguous": gettext_lazy("needs the barcode"),
    "already_sold": gettext_lazy("sold"),
    "status_quarantined": gettext_lazy("held"),
    "status_blocked": gettext_lazy("held"),
    "over_delivery": gettext_lazy("one too many"),
}


def _scan_label(check: ScanCheck) -> str:
    if check.outcome == "accepted":
        return _("may go")
    return str(SCAN_LABELS.get(check.reason, gettext_lazy("refused")))


@needs("sales.view_delivery")
def delivery_list(request):
    queryset = deliveries_for(request.user).order_by("-delivered_at", "-pk")
    page = page_of(request, queryset)
    record_customer_read(
        request.user,
        Delivery,
        [d.buyer for d in page],
        rows=len(page),
        filters=query_filters(request.GET),
        what="page:deliveries",
    )
    return render(request, "sales/delivery_list.html", {"page": page})


def _delivery_context(request, pk: int) -> dict:
    delivery = get_object_or_404(deliveries_for(request.user), pk=pk)
    return {
        "delivery": delivery,
        "groups": units_by_sku(delivery),
        "contact": party_contact(delivery.buyer, request.user),
    }


@needs("sales.view_delivery")
def delivery_detail(request, pk: int):
    return render(request, "sales/delivery_detail.html", _delivery_context(request, pk))


@needs("sales.view_delivery")
def delivery_print(request, pk: int):
    """The delivery note as a page made for the printer (no navigation)."""
    return render(request, "sales/delivery_print.html", _delivery_context(request, pk))


@needs("sales.view_delivery")
def delivery_pdf(request, pk: int):
    delivery = get_object_or_404(deliveries_for(request.user), pk=pk)
    try:
        content = delivery_note_pdf(delivery, request.user)
    except PdfFontMissing as missing:  # a server setup problem, said as such
        return HttpResponse(
            str(missing), status=missing.status, content_type="text/plain; charset=utf-8"
        )
    response = HttpResponse(content, "application/pdf")
    response["Content-Disposition"] = f'inline; filename="{delivery.number}.pdf"'
    return response
