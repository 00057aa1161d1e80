"""Logins, roles and data scope in the admin: every grant and scope change is logged.

Django's own user, group and token admins write without a before/after record, so
they are replaced by change-logged versions: a user's groups and permissions, a
role's permissions, a password (as a fingerprint, never the hash) and a profile's
party (the data scope) all land in the change log. API tokens are issued by their owner
(page or API, where the secret is shown once); here admins list and revoke anyone's.
"""

from axes.utils import reset as axes_reset
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.db import router, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import TokenProxy

from unitrace.accounts import tokens
from unitrace.accounts.models import ApiToken, Profile
from unitrace.core.admin import LoggedAdmin
from unitrace.core.audit import log_change, snapshot
from unitrace.core.models import ChangeLog

for model in (User, Group, TokenProxy):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(User)
class LoggedUserAdmin(LoggedAdmin, UserAdmin):
    actions = ["unlock_logins"]

    @admin.action(description=_("Unlock the login (forget failed logins)"))
    def unlock_logins(self, request, queryset):
        """Lifts the brute-force lockout of the selected accounts at once."""
        for user in queryset:
            axes_reset(username=user.get_username())
        self.message_user(
            request, gettext("Unlocked %(count)d accounts.") % {"count": queryset.count()}
        )

    def user_change_password(self, request, id, form_url=""):
        """The password page saves without ``save_model``: log it here."""
        with transaction.atomic(using=router.db_for_write(User)):
            user = self.get_object(request, unquote(id)) if request.method == "POST" else None
            before = snapshot(user) if user is not None else None
            response = super().user_change_password(request, id, form_url)
            if before is not None:
                after = snapshot(User._default_manager.get(pk=user.pk))
                if after != before:
                    log_change(user, ChangeLog.Action.UPDATE, before, after)
            return response


@admin.register(Group)
class LoggedGroupAdmin(LoggedAdmin, GroupAdmin):
    pass


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "user", "scope", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["scope", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__username", "name", "prefix"]
    readonly_fields = [
        "user",
        "name",
        "prefix",
        "scope",
        "apps",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    ]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # issued by the owner, who sees the secret once

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # revoked, not deleted: the record stays
        return actions

    @admin.action(description=_("Revoke selected tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        for token in queryset:
            tokens.revoke(token, request.user)
        self.message_user(request, _("Tokens revoked."))


@admin.register(Profile)
class ProfileAdmin(LoggedAdmin):
    list_display = ["user", "party", "phone"]
    search_fields = ["user__username"]
