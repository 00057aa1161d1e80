"""Returns (RMA) and exchanges: take units back, inspect them, ship replacements.

The pages keep their ``/sales/returns/`` addresses and ``sales:rma_*`` names.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from unitrace.core.errors import DomainError, RowError
from unitrace.core.permissions import needs
from unitrace.parties.masking import query_filters, record_customer_read
from unitrace.sales.scanning import InputRefused, rows_from_text
from unitrace.sales.selectors import unit_by_code
from unitrace.sales.views.common import datalists, page_of
from unitrace.serials.ledger import LedgerError
from unitrace.service.forms import ExchangeForm, ReturnForm
from unitrace.service.models import RMA, InspectionResult
from unitrace.service.returns import ReturnRefused, create_return, exchange_unit, inspect
from unitrace.service.selectors import exchanges_for, rmas_for


@needs("service.view_rma")
def rma_list(request):
    page = page_of(request, rmas_for(request.user).order_by("-received_at", "-pk"))
    exchanges = list(exchanges_for(request.user).order_by("-exchanged_at", "-pk")[:20])
    record_customer_read(
        request.user,
        RMA,
        [*(r.holder for r in page), *(e.holder for e in exchanges)],
        rows=len(page) + len(exchanges),
        filters=query_filters(request.GET),
        what="page:returns",
    )
    return render(request, "service/rma_list.html", {"page": page, "exchanges": exchanges})


def _return(request, form: ReturnForm) -> dict:
    v = form.cleaned_data
    try:
        rows = rows_from_text(v["serials"])
        units, errors = [], []
        for row in rows:
            unit, problem = unit_by_code(request.user, row.code)
            if unit is None:
                errors.append(
                    RowError(
                        row.row,
                        field="serial",
                        code="unknown_serial",
                        message=problem,
                        value=row.code,
                    )
                )
            else:
                units.append(unit)
        if errors:
            raise ReturnRefused(_("%(n)d units cannot be returned") % {"n": len(errors)}, errors)
        rma = create_return(
            units,
            v["warehouse"],
            reason=v["reason"],
            results={u.pk: v["result"] for u in units},
            user=request.user,
        )
    except InputRefused as refused:  # ReturnRefused too
        return {"message": refused.message, "rows": refused.rows}
    except ValidationError as exc:
        return {"message": " ".join(exc.messages), "rows": []}
    messages.success(request, _("Return %(number)s recorded.") % {"number": rma.number})
    return {"rma": rma}


def _exchange(request, form: ExchangeForm) -> dict:
    v = form.cleaned_data
    old, problem = unit_by_code(request.user, v["old_serial"])
    if old is None:
        form.add_error("old_serial", problem)
        return {}
    new, problem = unit_by_code(request.user, v["new_serial"])
    if new is None:
        form.add_error("new_serial", problem)
        return {}
    try:
        exchange = exchange_unit(
            old, new, v["warehouse"], reason=v["reason"], result=v["result"], user=request.user
        )
    except LedgerError as exc:
        form.add_error(None, str(exc))
        return {}
    messages.success(
        request,
        _("%(new)s sent to %(holder)s in exchange for %(old)s.")
        % {"new": new.serial, "holder": exchange.holder.name, "old": old.serial},
    )
    return {"rma": exchange.rma}


@needs("service.add_rma")
@require_http_methods(["GET", "POST"])
def rma_create(request):
    is_exchange = request.POST.get("action") == "exchange"
    return_form = ReturnForm(None if is_exchange else request.POST or None, prefix="ret")
    exchange_form = ExchangeForm(request.POST if is_exchange else None, prefix="ex")
    outcome: dict = {}
    if request.method == "POST":
        if is_exchange:
            if not request.user.has_perm("service.add_exchange"):
                raise PermissionDenied
            if exchange_form.is_valid():
                outcome = _exchange(request, exchange_form)
        elif return_form.is_valid():
            outcome = _return(request, return_form)
        if "rma" in outcome:
            return redirect("sales:rma_detail", outcome["rma"].pk)
    return render(
        request,
        "service/rma_form.html",
        {
            "return_form": return_form,
            "exchange_form": exchange_form,
            "outcome": outcome,
            **datalists(request.user),
        },
    )


@needs("service.view_rma")
@require_http_methods(["GET", "POST"])
def rma_detail(request, pk: int):
    rma = get_object_or_404(rmas_for(request.user), pk=pk)
    problem = None
    if request.method == "POST":
        if not request.user.has_perm("service.change_rma"):
            raise PermissionDenied
        results = {
            line.pk: request.POST.get(f"result-{line.pk}", "")
            for line in rma.lines.filter(result=InspectionResult.PENDING)
        }
        results = {k: v for k, v in results.items() if v and v != InspectionResult.PENDING}
        if not results:
            problem = _("Choose a result for at least one unit.")
        else:
            try:
                inspect(rma, results, notes=request.POST.get("notes", ""), user=request.user)
            except DomainError as exc:  # ReturnRefused, LedgerError
                problem = str(exc)
            else:
                messages.success(request, _("Inspection recorded."))
                return redirect("sales:rma_detail", rma.pk)
    lines = rma.lines.select_related("unit__sku").order_by("pk")
    return render(
        request,
        "service/rma_detail.html",
        {
            "rma": rma,
            "lines": lines,
            "problem": problem,
            "choices": [c for c in InspectionResult.choices if c[0] != InspectionResult.PENDING],
            "exchanges": rma.exchanges.select_related("old_unit", "new_unit"),
        },
    )
