"""The home page: each role lands on the work it does first (see ``unitfile.home``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render

from unitrace.parties.search import CustomerSearchRefused, find_customers
from unitrace.serials.views.search import home_context, search_rows
from unitrace.unitfile.home import FIGURES, SEARCH, figures_for, home_kind


@login_required
@permission_required("serials.view_unit", raise_exception=True)
def home(request):
    """The scan page for a clerk, the look-up for an agent, the figures for a manager."""
    context = {**home_context(request), "home_kind": home_kind(request.user)}
    query = context["q"].strip()
    if query:
        context["results"] = search_rows(request, query)
        if context["home_kind"] in (SEARCH, FIGURES):
            context.update(customer_hits(request, query))
    if context["home_kind"] == SEARCH:
        return render(request, "unitfile/home_search.html", context)
    if context["home_kind"] == FIGURES:
        context["figures"] = figures_for(request.user)
        return render(request, "unitfile/home_figures.html", context)
    return render(request, "serials/home.html", context)


CUSTOMER_LIMIT = 10


def customer_hits(request, query: str) -> dict:
    """Customers beside the units; a refusal (digits without the PII right) is shown, not raised."""
    hits, refusal = [], None
    try:
        hits = find_customers(query[:100], request.user, CUSTOMER_LIMIT)
    except CustomerSearchRefused as exc:
        refusal = exc.message
    return {"hits": hits, "refusal": refusal, "searched": True}


@login_required
@permission_required("serials.view_unit", raise_exception=True)
def lookup(request):
    """Units by serial and customers by phone or name, for the look-up box as one types."""
    query = request.GET.get("q", "").strip()
    context = {"q": query, "results": search_rows(request, query) if query else None}
    if query:
        context.update(customer_hits(request, query))
    return render(request, "unitfile/_lookup_results.html", context)
