"""A customer's units: what the customer holds, its state, SKU and warranty end.

An agent on the phone finds the caller (``parties.search.find_customers``) and opens
this page from the result or from the customer list. The page is composed here, above
warranty, because each row shows the warranty's end; which customer and which units
the user may see is decided by ``serials.selectors`` (``customer_for``,
``customer_units``), the same scope as every unit list.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from unitrace.parties.masking import party_contact, record_customer_read
from unitrace.serials.models import Unit
from unitrace.serials.selectors import customer_for, customer_units, replacement_ids
from unitrace.serials.views.common import status_label
from unitrace.warranty.services import warranty_for

PAGE_SIZE = 50


@login_required
@permission_required("serials.view_unit", raise_exception=True)
def customer_unit_list(request, pk: int):
    customer = customer_for(request.user, pk)
    if customer is None:
        raise Http404
    page = Paginator(customer_units(request.user, customer), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    units = list(page.object_list)
    exchanged = replacement_ids([u.pk for u in units])
    rows = [
        {
            "unit": unit,
            "status_label": status_label(unit.status),
            "warranty": warranty_for(unit, exchanged=unit.pk in exchanged),
        }
        for unit in units
    ]
    record_customer_read(
        request.user,
        Unit,
        [customer],
        rows=len(rows),
        filters={"customer": customer.code, "page": page.number},
        what="page:customer_units",
    )
    return render(
        request,
        "unitfile/customer_units.html",
        {
            "customer": customer,
            "contact": party_contact(customer, request.user),
            "page": page,
            "rows": rows,
        },
    )
