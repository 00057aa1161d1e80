"""The company settings page (name, logo, address, hotline, website) and the logo itself.

The page needs ``core.change_companysettings`` (administrators); the logo is public,
because the public pages a customer opens after scanning show it.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from unitrace.core.company import LOGO_MAX, CompanyRefused, brand, logo, save_company


class CompanyForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Company name"), max_length=100, required=False)
    address = forms.CharField(label=gettext_lazy("Address"), max_length=200, required=False)
    hotline = forms.CharField(label=gettext_lazy("Service hotline"), max_length=40, required=False)
    website = forms.URLField(
        label=gettext_lazy("Website"),
        max_length=200,
        required=False,
        assume_scheme="https",
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "url"}),
    )
    logo = forms.FileField(
        label=gettext_lazy("Logo (PNG or JPEG)"),
        required=False,
        help_text=gettext_lazy("At most 512 KB; shown on the public pages and delivery notes."),
    )
    remove_logo = forms.BooleanField(label=gettext_lazy("Remove the logo"), required=False)


@login_required
@permission_required("core.change_companysettings", raise_exception=True)
@require_http_methods(["GET", "POST"])
def company_settings(request):
    current = brand()
    if request.method == "POST":
        form = CompanyForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["logo"]
            data = None
            if upload is not None:
                data = upload.read(LOGO_MAX + 1)
            try:
                save_company(
                    values={
                        k: form.cleaned_data[k] for k in ("name", "address", "hotline", "website")
                    },
                    logo=data,
                    remove_logo=form.cleaned_data["remove_logo"],
                )
            except CompanyRefused as refused:
                form.add_error(refused.field, str(refused))
            else:
                messages.success(request, _("The company settings are saved."))
                return redirect("company:settings")
        status = 400
    else:
        form = CompanyForm(
            initial={
                "name": current.name,
                "address": current.address,
                "hotline": current.hotline,
                "website": current.website,
            }
        )
        status = 200
    return render(
        request, "core/company_settings.html", {"form": form, "brand": current}, status=status
    )


@require_GET
def company_logo(request):
    """The logo (public: the public pages show it); cached by the browser for a day."""
    found = logo()
    if found is None:
        raise Http404(_("No logo is set."))
    data, content_type = found
    response = HttpResponse(data, content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response
