"""The home page: each role lands on the work it does first (see ``unitfile.home``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render

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
    if context["home_kind"] == SEARCH:
        # Customers by phone or name join the units here once parties offers
        # ``find_customers(query, user)``; until then the box finds units by serial.
        return render(request, "unitfile/home_search.html", context)
    if context["home_kind"] == FIGURES:
        context["figures"] = figures_for(request.user)
        return render(request, "unitfile/home_figures.html", context)
    return render(request, "serials/home.html", context)
