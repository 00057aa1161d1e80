"""Party pages (customers, suppliers, distributors, service partners, manufacturers):
list with filters and search, detail, create and edit, with personal data masked for
roles without ``parties.view_pii`` and a partner login limited to its own party."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from unitrace.core.importing import start_import
from unitrace.core.listing import (
    Column,
    Listing,
    add_errors,
    export_query,
    page_of,
    page_query,
    row,
)
from unitrace.core.permissions import needs
from unitrace.parties.exports import PARTY_EXPORT
from unitrace.parties.forms import PartyForm
from unitrace.parties.importing import JOB_KIND, PARTY_TEMPLATE
from unitrace.parties.masking import party_contact, query_filters, record_pii_read
from unitrace.parties.models import Party
from unitrace.parties.selectors import filtered_parties, parties_visible_to
from unitrace.parties.services import save_any_party

COLUMNS = [
    Column(gettext_lazy("Code"), "mono"),
    Column(gettext_lazy("Name")),
    Column(gettext_lazy("Kind")),
    Column(gettext_lazy("Contact"), "hide-narrow"),
    Column(gettext_lazy("Phone"), "mono hide-narrow"),
    Column(gettext_lazy("Region"), "hide-narrow"),
]


@needs("parties.view_party")
def party_list(request):
    queryset, filters = filtered_parties(request.user, request.GET)
    page = page_of(request, queryset)
    parties = list(page)
    record_pii_read(
        request.user,
        Party,
        rows=len(parties),
        filters=query_filters(request.GET),
        what="parties.list",
    )
    rows = []
    for party in parties:
        seen = party_contact(party, request.user)
        rows.append(
            row(
                reverse("parties:party_detail", args=[party.pk]),
                COLUMNS,
                [
                    party.code,
                    seen["name"],
                    party.get_kind_display(),
                    seen["contact"],
                    seen["phone"],
                    seen["region"],
                ],
                inactive=not party.active,
            )
        )
    listing = Listing(
        title=_("Parties"),
        columns=COLUMNS,
        rows=rows,
        page=page,
        query=page_query(request),
        filters=filters,
        export_name=PARTY_EXPORT.name,
        export_query=export_query(request),
    )
    if request.user.has_perm("parties.add_party"):
        listing.new_url, listing.new_label = reverse("parties:party_create"), _("New party")
    listing.offer_import(request.user, PARTY_TEMPLATE, "parties:party_import")
    return render(request, "core/masterdata/list.html", {"listing": listing})


@needs("parties.view_party", *PARTY_TEMPLATE.permissions)
@require_POST
def party_import(request):
    """A file of parties, checked and written as a job under the uploader's rights
    (personal data only from users who may see it)."""
    return start_import(request, JOB_KIND, "parties:party_list")


@needs("parties.view_party")
def party_detail(request, pk: int):
    party = get_object_or_404(parties_visible_to(request.user), pk=pk)
    seen = party_contact(party, request.user)
    record_pii_read(
        request.user, Party, rows=1, filters={"party": party.code}, what="parties.detail"
    )
    regions = list(party.regions.order_by("province", "city"))
    columns = [Column(_("Province")), Column(_("City"))]
    tables = []
    if party.kind == Party.Kind.DISTRIBUTOR:
        tables.append(
            {
                "title": _("Authorized regions"),
                "columns": columns,
                "rows": [row("", columns, [r.province, r.city or _("all")]) for r in regions],
                "empty": _("No authorized regions."),
            }
        )
    context = {
        "eyebrow": party.get_kind_display(),
        "heading": f"{party.code} {seen['name']}",
        "inactive": not party.active,
        "facts": [
            (_("Code"), party.code),
            (_("Name"), seen["name"]),
            (_("Kind"), party.get_kind_display()),
            (_("Company"), _("yes") if party.is_company else _("no")),
            (_("Contact person"), seen["contact"]),
            (_("Phone"), seen["phone"]),
            (_("Region"), seen["region"]),
            (_("Street address"), seen["address"]),
            (_("Division code"), party.adcode or "—"),
            (
                _("Address on the map"),
                _("resolved")
                if party.address_resolved
                else (party.address_issue or _("no address")),
            ),
        ],
        "tables": tables,
        "links": [(reverse("parties:party_list"), _("All parties"))],
        "edit_url": reverse("parties:party_edit", args=[party.pk])
        if request.user.has_perm("parties.change_party")
        else "",
    }
    return render(request, "core/masterdata/detail.html", context)


def _edit(request, party: Party | None):
    form = PartyForm(request.POST or None, instance=party, user=request.user)
    if request.method == "POST" and form.is_valid():
        kind = party.kind if party is not None else form.cleaned_data["kind"]
        try:
            saved = save_any_party(kind, form.values(), party, user=request.user)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("%(party)s saved.") % {"party": saved.code})
            return redirect("parties:party_detail", pk=saved.pk)
    if party is None:
        heading, cancel = _("New party"), reverse("parties:party_list")
    else:
        heading = _("Edit %(code)s") % {"code": party.code}
        cancel = reverse("parties:party_detail", args=[party.pk])
    return render(
        request,
        "core/masterdata/form.html",
        {"form": form, "heading": heading, "eyebrow": _("Parties"), "cancel_url": cancel},
        status=400 if form.errors else 200,
    )


@needs("parties.view_party", "parties.add_party")
@require_http_methods(["GET", "POST"])
def party_create(request):
    return _edit(request, None)


@needs("parties.view_party", "parties.change_party")
@require_http_methods(["GET", "POST"])
def party_edit(request, pk: int):
    return _edit(request, get_object_or_404(parties_visible_to(request.user), pk=pk))
