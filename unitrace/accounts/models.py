"""Per-user data scope: which party (distributor, service partner) a login acts for."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    party = models.ForeignKey(
        "parties.Party",
        verbose_name=_("acts for party"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Distributor or service partner logins see only this party's units."),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("user profile")
        verbose_name_plural = _("user profiles")

    def __str__(self) -> str:
        return str(self.user)


class ApiToken(models.Model):
    """A named API credential of one user, stored as a SHA-256 digest.

    The secret is shown once, when the token is issued; the table keeps its digest (the
    lookup key: a token is 256 random bits, so a fast hash cannot be guessed back) and a
    short prefix in clear so a user can tell their tokens apart. A token expires, can be
    revoked, may be read-only and may be limited to some apps (see ``tokens.allows``).
    """

    class Scope(models.TextChoices):
        READ = "read", _("read only")
        WRITE = "write", _("read and write")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16)
    # editable=False keeps the digest out of forms and change-log snapshots
    digest = models.CharField(max_length=64, unique=True, editable=False)
    scope = models.CharField(_("scope"), max_length=5, choices=Scope, default=Scope.WRITE)
    apps = models.JSONField(
        _("apps"),
        default=list,
        blank=True,
        help_text=_("App labels this token may reach; empty means every app."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        from django.utils import timezone

        return self.revoked_at is None and self.expires_at > timezone.now()
