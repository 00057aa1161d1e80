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
