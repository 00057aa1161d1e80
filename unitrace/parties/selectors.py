"""Which parties a user may see, and the list's filters, for pages and exports.

A partner login sees only its own party. Search never tells a user personal data they
may not see: without ``parties.view_pii`` the text is matched against codes and the
names of companies only, not against people's names or phone numbers.
"""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from unitrace.core.listing import search_text
from unitrace.parties.masking import can_see_pii
from unitrace.parties.models import Party
from unitrace.parties.phones import normalize_phone
from unitrace.parties.scope import scope_party_id

YES_NO = [("", _("all")), ("yes", _("yes")), ("no", _("no"))]


def parties_visible_to(user) -> QuerySet[Party]:
    if not (user.is_authenticated and user.has_perm("parties.view_party")):
        return Party.objects.none()
    party_id = scope_party_id(user)
    if party_id is not None:
        return Party.objects.filter(pk=party_id)
    return Party.objects.all()


class PartyFilters(forms.Form):
    q = forms.CharField(label=_("Code, name or phone"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("all")), *Party.Kind.choices], required=False
    )
    province = forms.CharField(label=_("Province"), required=False, max_length=20)
    active = forms.ChoiceField(label=_("Active"), choices=YES_NO, required=False)


def filtered_parties(user, params: Mapping[str, str]) -> tuple[QuerySet[Party], PartyFilters]:
    form = PartyFilters(params)
    queryset = parties_visible_to(user)
    form.is_valid()
    data = form.cleaned_data
    q = search_text(data)
    if q:
        match = Q(code__icontains=q)
        if can_see_pii(user):
            match |= Q(name__icontains=q) | Q(contact__icontains=q)
            phone = normalize_phone(q)
            if phone:
                match |= Q(phone__contains=phone)
        else:  # a person's name is personal data: only companies are found by name
            person = Q(kind=Party.Kind.CUSTOMER, is_company=False)
            match |= Q(name__icontains=q) & ~person
        queryset = queryset.filter(match)
    if data.get("kind"):
        queryset = queryset.filter(kind=data["kind"])
    if data.get("province"):
        queryset = queryset.filter(province__startswith=data["province"].strip())
    flag = {"yes": True, "no": False}.get(data.get("active") or "")
    if flag is not None:
        queryset = queryset.filter(active=flag)
    return queryset.order_by("code"), form
