"""Customers, distributors (with authorized regions) and channels: list, create, edit."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from unitrace.core.audit import save_with_log
from unitrace.core.permissions import needs
from unitrace.parties import services
from unitrace.parties.masking import PII_FIELDS, can_see_pii, masked_value, record_pii_read
from unitrace.parties.models import Party
from unitrace.sales.api.parties import search_parties
from unitrace.sales.forms import ChannelForm, DistributorForm, PartyForm
from unitrace.sales.models import SalesChannel
from unitrace.sales.selectors import channels_for, parties_for, party_dict
from unitrace.sales.views.common import page_of

KINDS = {"customers": Party.Kind.CUSTOMER, "distributors": Party.Kind.DISTRIBUTOR}


def _kind(kind_slug: str) -> str:
    if kind_slug not in KINDS:
        raise PermissionDenied
    return KINDS[kind_slug]


@needs("parties.view_party")
def party_list(request, kinds: str):
    kind = _kind(kinds)
    q = request.GET.get("q", "")
    queryset = search_parties(parties_for(request.user, kind), request.user, q)
    page = page_of(request, queryset.prefetch_related("regions").order_by("code"))
    rows = [
        {
            "party": p,
            **party_dict(p, request.user),
            "regions": ", ".join(f"{r.province}{r.city}" for r in p.regions.all()),
        }
        for p in page
    ]
    if kind == Party.Kind.CUSTOMER:
        record_pii_read(
            request.user, Party, rows=len(rows), filters=request.GET.dict(), what="page:customers"
        )
    return render(
        request,
        "sales/party_list.html",
        {"kinds": kinds, "kind": kind, "q": q, "page": page, "rows": rows},
    )


def _initial(party: Party, user) -> dict:
    """The form's values; phone and address left empty for a user who may not see them."""
    data = {name: getattr(party, name) for name in services.PARTY_FIELDS}
    if not can_see_pii(user):
        for name in PII_FIELDS:
            data[name] = ""
    data["code"] = party.code
    if party.kind == Party.Kind.DISTRIBUTOR:
        data["regions"] = "\n".join(
            f"{r.province} {r.city}".strip() for r in party.regions.order_by("pk")
        )
    return data


def _hide_pii(form, party: Party) -> None:
    """Phone and address shown only masked, as placeholders: typing replaces them."""
    for name in PII_FIELDS:
        field = form.fields[name]
        current = getattr(party, name)
        if current:
            field.widget.attrs["placeholder"] = masked_value(name, current)
        field.help_text = _("Hidden. Leave empty to keep the current value; type to replace it.")


@needs("parties.view_party")
@require_http_methods(["GET", "POST"])
def party_edit(request, kinds: str, pk: int | None = None):
    kind = _kind(kinds)
    party = get_object_or_404(parties_for(request.user, kind), pk=pk) if pk else None
    perm = "parties.change_party" if party else "parties.add_party"
    if not request.user.has_perm(perm):
        raise PermissionDenied
    form_class = DistributorForm if kind == Party.Kind.DISTRIBUTOR else PartyForm
    form = form_class(
        request.POST or None, initial=_initial(party, request.user) if party else None
    )
    if party is not None:
        form.fields["code"].disabled = True
        if not can_see_pii(request.user):
            _hide_pii(form, party)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        regions_text = values.pop("regions", None)
        if party is not None:
            values.pop("code", None)
        try:
            if kind == Party.Kind.DISTRIBUTOR:
                saved = services.save_distributor(
                    values, services.parse_regions(regions_text or ""), party, user=request.user
                )
            else:
                saved = services.save_party(kind, values, party, user=request.user)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("%(party)s saved.") % {"party": saved})
            return redirect(f"sales:{kinds}")
    return render(
        request,
        "sales/party_form.html",
        {"form": form, "party": party, "kinds": kinds, "kind": kind},
    )


@needs("sales.view_saleschannel")
def channel_list(request):
    return render(request, "sales/channel_list.html", {"channels": channels_for(request.user)})


@needs("sales.view_saleschannel")
@require_http_methods(["GET", "POST"])
def channel_edit(request, pk: int | None = None):
    channel = get_object_or_404(SalesChannel, pk=pk) if pk else None
    if not request.user.has_perm(
        "sales.change_saleschannel" if channel else "sales.add_saleschannel"
    ):
        raise PermissionDenied
    form = ChannelForm(request.POST or None, instance=channel)
    if request.method == "POST" and form.is_valid():
        save_with_log(form.instance)
        messages.success(request, _("Channel %(code)s saved.") % {"code": form.instance.code})
        return redirect("sales:channel_list")
    return render(request, "sales/channel_form.html", {"form": form, "channel": channel})
