"""What intake keeps besides the work order: retried API requests and phone codes.

``IdempotencyKey`` makes a retried API request (same caller, same ``Idempotency-Key``)
answer what the first one answered instead of opening a second work order; the row is
written in the same transaction as the work order, so either both exist or neither.

``PhoneCode`` is the one-time code the public repair page sends to the customer's
phone as its second factor: only a keyed hash is stored, with an expiry and a count of
wrong tries.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyKey(models.Model):
    """One caller's key: the request it was first used with and the answer it got."""

    caller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("caller"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    key = models.CharField(_("idempotency key"), max_length=100)
    # SHA-256 of the request as understood (fields and photo contents), so the same key
    # with another body is told apart from a retry
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    work_order = models.ForeignKey(
        "service.WorkOrder",
        verbose_name=_("work order"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    response = models.JSONField(_("response"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["caller", "key"], name="idempotency_caller_key")
        ]

    def __str__(self) -> str:
        return f"{self.caller_id}:{self.key}"


class PhoneCode(models.Model):
    """A one-time code sent to a phone for one purpose (e.g. a repair request on a unit)."""

    phone = models.CharField(_("phone"), max_length=20)
    purpose = models.CharField(_("purpose"), max_length=60)
    code_hash = models.CharField(_("code hash"), max_length=64)
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(_("wrong attempts"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("phone code")
        verbose_name_plural = _("phone codes")
        indexes = [models.Index(fields=["phone", "purpose", "created_at"], name="phonecode_lookup")]

    def __str__(self) -> str:
        return f"{self.purpose} {self.created_at:%Y-%m-%d %H:%M}"
