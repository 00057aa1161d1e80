"""The scan page's two forms (scan field and partial-serial search) and the search partial.

The home page itself differs per role and is composed above serials
(``unitrace.unitfile.home``); a clerk's home is this scan page.

The scan result itself is composed above serials (``unitrace.unitfile.views.scan``)
because its summary shows the warranty.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render

from unitrace.serials.selectors import search_units
from unitrace.serials.views.common import unit_row


def home_context(request) -> dict:
    """What the home page's two forms show back: the ``go`` box and the search text."""
    return {"go": request.GET.get("go") == "1", "q": request.GET.get("q", "")}


def search_rows(request, text: str) -> list[dict]:
    return [unit_row(u) for u in search_units(request.user, text)]


@login_required
@permission_required("serials.view_unit", raise_exception=True)
def unit_search(request):
    """Candidates for a partial serial (htmx partial; a full page without JavaScript)."""
    q = request.GET.get("q", "")
    results = search_rows(request, q)
    if not request.htmx:
        return render(request, "serials/home.html", {"q": q, "results": results})
    return render(request, "serials/_search_results.html", {"q": q, "results": results})
