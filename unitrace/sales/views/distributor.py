"""A distributor's own pages: my units, record a sale (sell-through), my sales."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from unitrace.core.permissions import needs
from unitrace.parties.regions import Region
from unitrace.parties.services import find_or_create_customer
from unitrace.sales.forms import SaleForm
from unitrace.sales.output import sell_through_dict
from unitrace.sales.selectors import sell_throughs_for, unit_by_code
from unitrace.sales.sellthrough import record_sell_through
from unitrace.sales.views.common import datalists, page_of
from unitrace.serials.ledger import LedgerError
from unitrace.serials.selectors import scope_party, units_visible_to
from unitrace.serials.statuses import Status


@needs("sales.add_sellthrough", "serials.view_unit")
def my_units(request):
    """Units the distributor holds and may still sell."""
    party = scope_party(request.user)
    units = units_visible_to(request.user).select_related("sku").filter(status=Status.SOLD)
    units = (
        units.filter(holder=party)
        if party is not None
        else units.filter(holder__kind="distributor")
    )
    q = request.GET.get("q", "").strip()
    if q:
        units = units.filter(serial__icontains=q)
    return render(
        request,
        "sales/my_units.html",
        {
            "page": page_of(request, units.select_related("holder").order_by("serial")),
            "q": q,
            "party": party,
        },
    )


@needs("sales.add_sellthrough", "serials.view_unit")
@require_http_methods(["GET", "POST"])
def record_sale(request):
    party = scope_party(request.user)
    form = SaleForm(request.POST or None, initial={"serial": request.GET.get("serial", "")})
    if party is not None:
        del form.fields["distributor"]
    if request.method == "POST" and form.is_valid():
        v = form.cleaned_data
        distributor = party or v.get("distributor")
        unit, problem = unit_by_code(request.user, v["serial"])
        if distributor is None:
            form.add_error("distributor", _("Give the distributor."))
        elif unit is None:
            form.add_error("serial", problem)
        else:
            try:
                customer = find_or_create_customer(
                    v["customer_name"],
                    v["customer_phone"],
                    province=v["province"],
                    city=v["city"],
                    district=v["district"],
                    address=v["address"],
                )
                sale = record_sell_through(
                    distributor,
                    unit,
                    customer,
                    region=Region(v["province"], v["city"], v["district"]),
                    customer_name=v["customer_name"],
                    customer_phone=v["customer_phone"],
                    user=request.user,
                )
            except LedgerError as exc:
                form.add_error("serial", exc.message)
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                # What was typed, never the matched record's name.
                text = _("%(serial)s sold to %(customer)s.") % {
                    "serial": unit.serial,
                    "customer": sale.customer_name,
                }
                if not sale.in_region:
                    messages.warning(
                        request,
                        _("Outside the authorized regions: %(region)s.") % {"region": sale.region},
                    )
                messages.success(request, text)
                return redirect("sales:record_sale")
    return render(
        request, "sales/sale_form.html", {"form": form, "party": party, **datalists(request.user)}
    )


@needs("sales.view_sellthrough")
def my_sales(request):
    if not request.user.has_perm("sales.view_sellthrough"):
        raise PermissionDenied
    page = page_of(request, sell_throughs_for(request.user).order_by("-sold_at", "-pk"))
    rows = [{"sale": sale, **sell_through_dict(sale, request.user)} for sale in page]
    return render(
        request,
        "sales/my_sales.html",
        {"page": page, "rows": rows, "party": scope_party(request.user)},
    )
