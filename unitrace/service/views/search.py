"""The agent console (坐席): one box, results as one types, Enter opens the single match.

The page works without JavaScript: submitting the form (Enter, or a scanner gun's
Enter after the serial) loads the page again and, when the text named exactly one
unit, work order or customer, goes straight to it. htmx only swaps the results in as
the agent types.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from unitrace.core.permissions import needs
from unitrace.service.search import SearchRefused, may_search, search


def _result(request) -> tuple[dict, str | None]:
    text = request.GET.get("q", "")
    context: dict = {"q": text[:200]}
    try:
        result = search(request.user, text)
    except SearchRefused as refused:
        context["error"] = refused.message
        return context, None
    context["result"] = result
    return context, result.single_url


@needs()
def agent_search(request):
    if not may_search(request.user):
        raise PermissionDenied
    context, single = _result(request)
    if request.htmx:
        return render(request, "service/_search_results.html", context)
    if single and request.GET.get("open", "1") == "1":
        return redirect(single)
    return render(request, "service/search.html", context)
