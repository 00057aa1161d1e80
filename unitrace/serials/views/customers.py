"""Finding a customer by phone, the phone's last four digits or the name's beginning.

The rules (indexes, who may search by digits, masking, the audit of reads) are
``parties.search.find_customers``; this page shows its results, each leading to the
customer's units.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render

from unitrace.parties.search import CustomerSearchRefused, find_customers

LIMIT = 20


@login_required
@permission_required("serials.view_unit", raise_exception=True)
def customer_search(request):
    q = request.GET.get("q", "").strip()[:100]
    hits, refusal = [], None
    if q:
        try:
            hits = find_customers(q, request.user, LIMIT)
        except CustomerSearchRefused as exc:
            refusal = exc.message
    context = {"q": q, "hits": hits, "refusal": refusal, "searched": bool(q)}
    return render(request, "serials/customer_search.html", context)
