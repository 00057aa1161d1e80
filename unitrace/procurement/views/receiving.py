"""The receiving page: one scan field for a keyboard-wedge scanner, plus bulk receiving.

Each scan posts (htmx, through the shared scan component ``unitrace/scanner.js``) to
``receive_scan``, which answers with the feedback partial: its root declares the outcome
(``data-scan-outcome``) and the receipt's counters (``data-scan-counts``), from which the
component plays the tone, updates the counters and logs the scan; the line counts and
the order's status come along as out-of-band swaps. Without JavaScript the same form
posts and the page comes back whole.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unitrace.codes.serial_text import SerialFormatError
from unitrace.core.jobs import submit_job
from unitrace.core.permissions import needs
from unitrace.core.tabular import runs_in_request
from unitrace.core.uploads import read_upload
from unitrace.places.models import Warehouse
from unitrace.procurement.feedback import Feedback
from unitrace.procurement.forms import BulkReceiveForm
from unitrace.procurement.jobs import RECEIVE_FILE
from unitrace.procurement.models import PurchaseOrder, Receipt
from unitrace.procurement.orders import RECEIVABLE
from unitrace.procurement.receipts import close_receipt, counts, open_receipt
from unitrace.procurement.receiving import receive_scan
from unitrace.procurement.receiving_bulk import BulkRefused, receive_file, receive_range
from unitrace.procurement.selectors import receipts_visible_to
from unitrace.procurement.views.common import errors_of, order_for

RECEIVE = ("procurement.view_purchaseorder", "procurement.receive_purchaseorder")


def _scan(feedback: Feedback | None, code: str, counts_now: dict | None) -> dict:
    """What the result partial declares to the scan component (``scanner.js``)."""
    if feedback is None:
        return {
            "outcome": "refused",
            "reason": "error",
            "label": _("not received"),
            "code": code.strip()[:60],
            "counts": "",
        }
    receipt = (counts_now or {}).get("receipt")
    counted = ""
    if receipt:
        counted = json.dumps(
            {key: receipt[key] for key in ("scanned", "accepted", "suspected", "refused")}
            | {"received": counts_now["received"]}
        )
    label = feedback.outcome_label
    if feedback.scan_outcome == "refused":
        label = _("refused: %(reason)s") % {"reason": label}
    return {
        "outcome": feedback.scan_outcome,
        "reason": str(feedback.outcome),
        "label": label,
        "code": feedback.serial or code.strip()[:60],
        "counts": counted,
    }


def _warehouse(order: PurchaseOrder, code: str) -> Warehouse | None:
    if code:
        return Warehouse.objects.filter(code=code, active=True).first()
    return order.warehouse


def _context(request, order: PurchaseOrder, warehouse: Warehouse | None, **extra) -> dict:
    receipt = None
    if warehouse is not None:
        receipt = Receipt.objects.filter(
            order=order, warehouse=warehouse, status=Receipt.Status.OPEN
        ).first()
    lines = order.lines.select_related("sku").order_by("pk")
    return {
        "order": order,
        "warehouse": warehouse,
        "warehouses": Warehouse.objects.filter(active=True).values_list("code", "name")[:500],
        "line_skus": [(line.sku.code, line.sku.name) for line in lines],
        "chosen_sku": request.POST.get("sku") or request.GET.get("sku", ""),
        "receipt": receipt,
        "counts": counts(order.pk, receipt.pk if receipt else None),
        "receivable": order.status in RECEIVABLE,
        "bulk_form": BulkReceiveForm(),
        **extra,
    }


@needs(*RECEIVE)
def receive_page(request, pk: int):
    order = order_for(request.user, pk)
    warehouse = _warehouse(order, request.GET.get("warehouse", ""))
    return render(request, "procurement/receive.html", _context(request, order, warehouse))


def _sku(order: PurchaseOrder, code: str):
    line = order.lines.select_related("sku").filter(sku__code=code).first() if code else None
    return line.sku if line else None


@needs(*RECEIVE)
@require_POST
def receive_scan_view(request, pk: int):
    """One scan: the feedback partial (htmx) or the whole page."""
    order = order_for(request.user, pk)
    warehouse = _warehouse(order, request.POST.get("warehouse", ""))
    problem = None
    feedback = None
    if warehouse is None:
        problem = _("Choose the warehouse the goods arrive in.")
    else:
        try:
            receipt = open_receipt(order, warehouse, request.user)
            feedback = receive_scan(
                receipt, request.POST.get("code", ""), sku=_sku(order, request.POST.get("sku", ""))
            )
        except ValidationError as exc:
            problem = " ".join(errors_of(exc))
    code = request.POST.get("code", "")
    # the scan may have completed (or reopened) the order: the header shows it at once
    order.status = PurchaseOrder.objects.values_list("status", flat=True).get(pk=order.pk)
    context = {
        "feedback": feedback,
        "problem": problem,
        "code": code,
        "scan": _scan(feedback, code, feedback.counts if feedback else None),
    }
    if request.htmx:
        context["order"] = order
        context["order_status"] = (order.status, order.get_status_display())
        if feedback is not None:
            context["counts"] = feedback.counts
        return render(request, "procurement/_scan_feedback.html", context)
    return render(
        request, "procurement/receive.html", _context(request, order, warehouse, **context)
    )


@needs(*RECEIVE)
@require_POST
def receive_bulk(request, pk: int):
    """A pasted list/range or a file: all or nothing, with the refused rows listed."""
    order = order_for(request.user, pk)
    warehouse = _warehouse(order, request.POST.get("warehouse", ""))
    form = BulkReceiveForm(request.POST, request.FILES)
    extra: dict = {"bulk_form": form}
    if warehouse is None:
        extra["problem"] = _("Choose the warehouse the goods arrive in.")
    elif form.is_valid():
        sku = _sku(order, request.POST.get("sku", ""))
        try:
            receipt = open_receipt(order, warehouse, request.user)
            upload = form.cleaned_data.get("file")
            if upload is not None:
                content = read_upload(upload)
                if not runs_in_request(content, upload.name):
                    job = submit_job(
                        RECEIVE_FILE,
                        user=request.user,
                        input_name=upload.name,
                        input_data=content,
                        params={"receipt": receipt.pk, "sku": sku.pk if sku else None},
                    )
                    return redirect("core:job_detail", pk=job.pk)
                result = receive_file(receipt, content, upload.name, sku=sku)
            else:
                result = receive_range(receipt, form.cleaned_data["serials"], sku=sku)
        except ValidationError as exc:
            extra["problem"] = " ".join(errors_of(exc))
        except SerialFormatError as exc:
            extra["problem"] = exc.message
        except BulkRefused as refused:
            extra["bulk_refused"] = str(refused)
            extra["bulk_errors"] = refused.result.errors[:200]
        else:
            messages.success(
                request,
                _("%(n)d units received (%(s)d of them quarantined as suspects).")
                % {"n": result.accepted + result.suspected, "s": result.suspected},
            )
            url = reverse("procurement:receive", args=[order.pk])
            return redirect(f"{url}?{urlencode({'warehouse': warehouse.code})}")
    context = _context(request, order, warehouse, **extra)
    return render(request, "procurement/receive.html", context, status=400)


@needs("procurement.view_receipt", "procurement.change_receipt")
@require_POST
def receipt_close(request, pk: int):
    receipt = get_object_or_404(receipts_visible_to(request.user), pk=pk)
    close_receipt(receipt)
    messages.success(request, _("Receipt %(n)s closed.") % {"n": receipt.number})
    return redirect("procurement:order_detail", pk=receipt.order_id)
