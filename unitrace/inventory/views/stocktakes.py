"""Stocktake pages: list and open, the count page (scanner), the report and its close."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from unitrace.inventory import stocktakes
from unitrace.inventory.errors import InventoryError
from unitrace.inventory.models import Stocktake, StocktakeScan
from unitrace.inventory.stocktakes.closing import (
    ADJUSTABLE,
    CATEGORIES,
    CATEGORY_LABELS,
    close_stocktake,
    stocktake_report,
)
from unitrace.inventory.views.common import bin_or_error, warehouse_by_code, warehouse_codes
from unitrace.places.models import Bin
from unitrace.serials.selectors import units_visible_to

# How the scan field answers each outcome (scanner.js): the outcome it declares and,
# where the outcome's own tone would mislead, the tone. A unit in another bin is
# counted but asks for a look (two beeps); a unit the book did not expect is counted
# apart and set aside (the falling "set aside" tone).
FEEDBACK = {
    "counted": ("accepted", ""),
    "bin": ("accepted", ""),
    "wrong_bin": ("wrong_bin", "duplicate"),
    "unexpected": ("unexpected", "quarantine"),
    "duplicate": ("duplicate", ""),
}
LABELS = {
    "counted": gettext_lazy("counted"),
    "bin": gettext_lazy("bin"),
    "wrong_bin": gettext_lazy("other bin"),
    "unexpected": gettext_lazy("not in the book"),
    "duplicate": gettext_lazy("already counted"),
}


def _feedback(result: dict) -> dict:
    """The scan answer's outcome, tone and log label for scanner.js (one tone per scan)."""
    outcome, tone = FEEDBACK.get(result["outcome"], ("refused", ""))
    label = LABELS.get(result["outcome"], gettext_lazy("refused"))
    reason = result.get("reason") or result["outcome"]
    return {**result, "scan_outcome": outcome, "tone": tone, "label": label, "reason": reason}


RECENT = 15


@login_required
@permission_required("inventory.view_stocktake", raise_exception=True)
@require_http_methods(["GET", "POST"])
def stocktake_list(request):
    form = {"warehouse": "", "notes": ""}
    failure = None
    if request.method == "POST":
        if not request.user.has_perm("inventory.add_stocktake"):
            raise PermissionDenied
        form = {key: request.POST.get(key, "").strip() for key in form}
        warehouse = warehouse_by_code(form["warehouse"])
        try:
            if warehouse is None:
                raise InventoryError(
                    _("no active warehouse has the code %(code)s") % {"code": form["warehouse"]},
                    code="warehouse",
                )
            count = stocktakes.open_stocktake(warehouse, user=request.user, notes=form["notes"])
        except InventoryError as exc:
            failure = exc
        else:
            messages.success(
                request,
                _("Stocktake %(number)s opened: %(n)d units in the book.")
                % {"number": count.number, "n": count.book_count},
            )
            return redirect("inventory:stocktake_count", pk=count.pk)
    return render(
        request,
        "inventory/stocktake_list.html",
        {
            "stocktakes": Stocktake.objects.select_related("warehouse", "opened_by")[:100],
            "form": form,
            "failure": failure,
            "warehouse_codes": warehouse_codes(),
        },
    )


def _count_context(stocktake: Stocktake, user) -> dict:
    recent = (
        StocktakeScan.objects.filter(stocktake=stocktake, scanned_by=user)
        .select_related("bin")
        .order_by("-scanned_at", "-id")[:RECENT]
    )
    return {
        "stocktake": stocktake,
        "bins": stocktake.warehouse.bins.order_by("code").values_list("code", flat=True),
        "recent": recent,
        "percent": min(100, stocktake.counted_count * 100 // stocktake.book_count)
        if stocktake.book_count
        else 0,
    }


@login_required
@permission_required("inventory.view_stocktake", raise_exception=True)
def stocktake_count(request, pk: int):
    stocktake = get_object_or_404(Stocktake.objects.select_related("warehouse"), pk=pk)
    context = _count_context(stocktake, request.user)
    context["bin"] = request.GET.get("bin", "")
    return render(request, "inventory/stocktake_count.html", context)


@login_required
@permission_required(["inventory.count_stocktake", "serials.view_unit"], raise_exception=True)
@require_POST
def stocktake_scan(request, pk: int):
    """One scan from the count page: the htmx partial, or the whole page without JS.

    A code that names no unit but is a bin of this warehouse switches the current bin,
    so a clerk can scan the shelf label, then the units on it.
    """
    stocktake = get_object_or_404(Stocktake.objects.select_related("warehouse"), pk=pk)
    code = request.POST.get("code", "").strip()
    bin_code = request.POST.get("bin", "").strip()
    shelf = None
    if (
        code
        and Bin.objects.filter(warehouse=stocktake.warehouse, code=code).exists()
        and not units_visible_to(request.user).filter(serial=code).exists()
    ):
        shelf = code
    try:
        if shelf is not None:
            bin_code = shelf
            result = {
                "outcome": "bin",
                "code": code,
                "message": _("now counting bin %(bin)s") % {"bin": shelf},
            }
        else:
            scanned = stocktakes.scan(
                stocktake,
                code,
                user=request.user,
                bin=bin_or_error(stocktake.warehouse, bin_code),
                units=units_visible_to(request.user),
            )
            result = scanned.as_dict()
    except InventoryError as exc:
        result = {"outcome": "error", "reason": exc.code, "code": code, "message": exc.message}
    stocktake.refresh_from_db()
    context = {
        **_count_context(stocktake, request.user),
        "result": _feedback(result),
        "bin": bin_code,
    }
    if request.htmx:
        return render(request, "inventory/_stocktake_scan_result.html", context)
    return render(request, "inventory/stocktake_count.html", context)


def _choices(post) -> dict:
    adjust = {}
    for category in ADJUSTABLE:
        if post.get(f"all_{category}"):
            adjust[category] = "all"
        else:
            adjust[category] = [int(v) for v in post.getlist(category) if v.isdigit()]
    return adjust


@login_required
@permission_required("inventory.view_stocktake", raise_exception=True)
@require_http_methods(["GET", "POST"])
def stocktake_report_page(request, pk: int):
    stocktake = get_object_or_404(Stocktake.objects.select_related("warehouse"), pk=pk)
    failure = None
    reason = ""
    if request.method == "POST":
        if not request.user.has_perm("inventory.close_stocktake"):
            raise PermissionDenied
        reason = request.POST.get("reason", "")
        try:
            if request.POST.get("action") == "cancel":
                stocktakes.cancel_stocktake(stocktake, user=request.user)
                messages.success(request, _("Stocktake cancelled; the ledger is unchanged."))
            else:
                close_stocktake(
                    stocktake, user=request.user, reason=reason, adjust=_choices(request.POST)
                )
                messages.success(request, _("Stocktake closed."))
        except InventoryError as exc:
            failure = exc
        else:
            return redirect("inventory:stocktake_report", pk=pk)
    report = stocktake_report(stocktake)
    sections = [
        {
            "key": category,
            "label": CATEGORY_LABELS[category],
            "count": report["counts"][category],
            "lines": report["lines"][category],
            "adjustable": category in ADJUSTABLE,
        }
        for category in CATEGORIES
    ]
    return render(
        request,
        "inventory/stocktake_report.html",
        {
            "stocktake": stocktake,
            "sections": sections,
            "closed": report["closed"],
            "failure": failure,
            "reason": reason,
            "can_close": request.user.has_perm("inventory.close_stocktake"),
        },
    )
