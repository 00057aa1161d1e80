"""Pages of a login's own credentials: API tokens and two-factor authentication."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.apps import apps as django_apps
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from unitrace.accounts import tokens
from unitrace.accounts.models import ApiToken
from unitrace.core.errors import DomainError


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    expires_on = forms.DateField(
        label=_("Expires on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("At most %(days)d days from today.") % {"days": tokens.max_days()},
    )
    scope = forms.ChoiceField(label=_("Scope"), choices=ApiToken.Scope.choices)
    apps = forms.MultipleChoiceField(
        label=_("Limited to apps"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None checked: every app."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["apps"].choices = [
            (a, f"{django_apps.get_app_config(a).verbose_name} ({a})") for a in tokens.token_apps()
        ]
        if not self.is_bound:
            today = timezone.localdate()
            self.initial.setdefault("expires_on", today + timedelta(days=tokens.default_days()))

    def expires_at(self) -> datetime:
        """The end of the chosen day, in the local time zone."""
        day = self.cleaned_data["expires_on"]
        return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


@login_required
def token_list(request):
    """Your tokens: issue one (its secret shown once), list them, revoke."""
    issued = None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issued = tokens.issue(
                request.user,
                form.cleaned_data["name"],
                expires_at=form.expires_at(),
                scope=form.cleaned_data["scope"],
                apps=form.cleaned_data["apps"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            form = TokenForm()
    rows = ApiToken.objects.filter(user=request.user).select_related("revoked_by")
    return render(
        request,
        "accounts/token_list.html",
        {"form": form, "issued": issued, "rows": rows, "now": timezone.now()},
    )


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(tokens.manageable_by(request.user), pk=pk)
    tokens.revoke(token, request.user)
    return redirect("accounts:tokens")
