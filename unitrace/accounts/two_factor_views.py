"""Two-factor pages: enrol an authenticator, verify a session, recovery codes."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from unitrace.accounts import two_factor


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _next(request, default: str = "serials:home"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    from django.urls import reverse

    return reverse(default)


@login_required
def enrol(request):
    """Staff: turn two-factor on (scan the QR, confirm a code) or manage it."""
    user = request.user
    if not two_factor.may_enrol(user):
        raise PermissionDenied
    context = {"enrolled": two_factor.enrolled(user), "codes": None}
    if context["enrolled"]:
        return render(request, "accounts/two_factor.html", context)
    device = two_factor.pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.confirm(request, device, form.cleaned_data["code"])
        if codes is not None:
            context.update(enrolled=True, codes=codes)
            return render(request, "accounts/two_factor.html", context)
        form.add_error(
            "code", _("That code is not valid. Check your device's clock and try again.")
        )
    context.update(form=form, qr=two_factor.qr_svg(device), secret=two_factor.secret_text(device))
    return render(request, "accounts/two_factor.html", context)


def _verified_owner(request):
    if not (two_factor.enrolled(request.user) and two_factor.verified(request.user)):
        raise PermissionDenied


@login_required
@require_POST
def recovery_codes(request):
    _verified_owner(request)
    codes = two_factor.new_recovery_codes(request.user)
    context = {"enrolled": True, "codes": codes}
    return render(request, "accounts/two_factor.html", context)


@login_required
@require_POST
def disable(request):
    _verified_owner(request)
    two_factor.disable(request.user)
    messages.success(request, _("Two-factor authentication is off."))
    return redirect("accounts:two_factor")


@login_required
def verify(request):
    """The step after the password for a login with two-factor on."""
    if not two_factor.enrolled(request.user) or two_factor.verified(request.user):
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.verify(request, form.cleaned_data["code"]):
            return redirect(_next(request))
        form.add_error("code", _("That code is not valid."))
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": next_url})
