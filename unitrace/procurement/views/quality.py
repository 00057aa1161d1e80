"""Suspected counterfeits to decide on, supplier quality figures, and the supplier list."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from unitrace.core.audit import save_with_log
from unitrace.core.permissions import needs
from unitrace.parties.masking import party_contact
from unitrace.parties.models import Party
from unitrace.procurement.forms import DecisionForm, QualityFilter, SupplierForm
from unitrace.procurement.models import SuspectUnit
from unitrace.procurement.selectors import (
    supplier_quality,
    suppliers_visible_to,
    suspects_visible_to,
)
from unitrace.procurement.suspects import decide
from unitrace.procurement.views.common import errors_of, page_of, page_query
from unitrace.serials import ledger

DECISIONS = dict(SuspectUnit.Decision.choices)


@needs("procurement.view_suspectunit")
def suspect_list(request):
    decision = request.GET.get("decision", SuspectUnit.Decision.PENDING)
    queryset = suspects_visible_to(request.user).select_related(
        "unit__sku", "order__supplier", "receipt", "decided_by"
    )
    if decision in DECISIONS:
        queryset = queryset.filter(decision=decision)
    page = page_of(request, queryset.order_by("-created_at", "-id"))
    return render(
        request,
        "procurement/suspect_list.html",
        {
            "page": page,
            "query": page_query(request),
            "decision": decision,
            "decisions": SuspectUnit.Decision.choices,
        },
    )


@needs("procurement.view_suspectunit", "procurement.decide_suspectunit")
@require_POST
def suspect_decide(request, pk: int):
    suspect = get_object_or_404(suspects_visible_to(request.user), pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        raise PermissionDenied
    try:
        decide(
            suspect,
            form.cleaned_data["decision"],
            user=request.user,
            notes=form.cleaned_data["notes"],
        )
    except (ValidationError, ledger.LedgerError) as exc:
        problems = errors_of(exc) if isinstance(exc, ValidationError) else [str(exc)]
        for problem in problems:
            messages.error(request, f"{suspect.unit.serial}: {problem}")
    else:
        messages.success(
            request,
            _("%(serial)s: %(decision)s.")
            % {"serial": suspect.unit.serial, "decision": DECISIONS[form.cleaned_data["decision"]]},
        )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}):
        return redirect("procurement:suspect_list")
    return redirect(back)


@needs("procurement.view_supplier_quality")
def quality(request):
    form = QualityFilter(request.GET or None)
    start = end = None
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    rows = supplier_quality(request.user, start=start, end=end)
    # the decisions' labels: the rows count suspects by decision code
    context = {"form": form, "rows": rows, "decisions": SuspectUnit.Decision}
    return render(request, "procurement/quality.html", context)


@needs("parties.view_party")
@require_http_methods(["GET", "POST"])
def supplier_list(request):
    form = SupplierForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("parties.add_party"):
            raise PermissionDenied
        if form.is_valid():
            party = form.save(commit=False)
            party.kind = Party.Kind.SUPPLIER
            try:
                save_with_log(party)
            except ValidationError as exc:
                for problem in errors_of(exc):
                    form.add_error(None, problem)
            else:
                messages.success(request, _("Supplier %(code)s created.") % {"code": party.code})
                return redirect("procurement:supplier_list")
    q = request.GET.get("q", "").strip()
    queryset = suppliers_visible_to(request.user)
    if q:
        queryset = queryset.filter(name__icontains=q) | queryset.filter(code__iexact=q)
    page = page_of(request, queryset.order_by("code"))
    rows = [{"party": p, **party_contact(p, request.user)} for p in page]
    return render(
        request,
        "procurement/supplier_list.html",
        {"page": page, "query": page_query(request), "rows": rows, "form": form, "q": q},
        status=400 if form.errors else 200,
    )
