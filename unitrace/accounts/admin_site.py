"""The admin site asks for a verified two-factor session where one is required."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.shortcuts import redirect
from django.urls import reverse


def _two_factor():
    # imported on use: this module loads with the app configs, before models may
    from unitrace.accounts import two_factor

    return two_factor


class AdminSite(admin.AdminSite):
    def has_permission(self, request) -> bool:
        user = request.user
        if not super().has_permission(request):
            return False
        two_factor = _two_factor()
        return not two_factor.required_for_admin(user) or two_factor.verified(user)

    def login(self, request, extra_context=None):
        user = request.user
        if user.is_active and user.is_staff and not self.has_permission(request):
            two_factor = _two_factor()
            query = urlencode({"next": request.GET.get("next") or reverse("admin:index")})
            if two_factor.enrolled(user):
                return redirect(f"{reverse('accounts:two_factor_verify')}?{query}")
            return redirect("accounts:two_factor")
        return super().login(request, extra_context)


class AdminConfig(DjangoAdminConfig):
    default_site = "unitrace.accounts.admin_site.AdminSite"
