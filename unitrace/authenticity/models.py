"""Public checks of labels and the channel alerts they (and activations) raise."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Verification(models.Model):
    """One authenticity check by the public, genuine or not; never the raw IP or a phone.

    ``unit`` is empty when the check failed: a wrong code and an unknown serial are
    recorded alike, so not even the log tells them apart.
    """

    class Method(models.TextChoices):
        TOKEN = "token", _("QR code of the public page")
        CODE = "code", _("serial and verification code")
        LINK = "link", _("signed Digital Link")
        SERIAL = "serial", _("serial only")

    class Outcome(models.TextChoices):
        GENUINE = "genuine", _("genuine")
        SUSPECT = "suspect", _("genuine, possibly cloned label")
        UNKNOWN = "unknown", _("unknown")

    unit = models.ForeignKey(
        "serials.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="verifications",
    )
    checked_at = models.DateTimeField(_("time"), db_index=True)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    serial = models.CharField(_("serial given"), max_length=40, blank=True)
    code_hash = models.CharField(_("code hash"), max_length=64, blank=True)
    network_hash = models.CharField(_("client network hash"), max_length=32, blank=True)
    province = models.CharField(_("province"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=30, blank=True)
    district = models.CharField(_("district"), max_length=30, blank=True)
    region_key = models.CharField(_("region key"), max_length=60, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("authenticity check")
        verbose_name_plural = _("authenticity checks")
        ordering = ["-checked_at", "-id"]
        indexes = [models.Index(fields=["unit", "checked_at"], name="verification_unit_time_idx")]

    def __str__(self) -> str:
        return f"{self.checked_at:%Y-%m-%d %H:%M} {self.get_outcome_display()}"

    @property
    def region(self) -> str:
        return "".join(p for p in (self.province, self.city, self.district) if p)


class DiversionAlert(models.Model):
    """A unit that turned up outside its distributor's authorized regions (窜货)."""

    class Source(models.TextChoices):
        ACTIVATION = "activation", _("activation")
        SERVICE = "service", _("service")
        VERIFICATION = "verification", _("authenticity check")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ACKNOWLEDGED = "acknowledged", _("acknowledged")
        DISMISSED = "dismissed", _("dismissed")

    CLOSED = (Status.ACKNOWLEDGED, Status.DISMISSED)

    unit = models.ForeignKey(
        "serials.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="diversion_alerts",
    )
    distributor = models.ForeignKey(
        "parties.Party",
        verbose_name=_("distributor"),
        on_delete=models.PROTECT,
        related_name="diversion_alerts",
    )
    delivery_event = models.ForeignKey(
        "serials.UnitEvent",
        verbose_name=_("delivery to the distributor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    delivery_ref = models.CharField(_("delivery document"), max_length=60, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    province = models.CharField(_("province"), max_length=20)
    city = models.CharField(_("city"), max_length=30, blank=True)
    district = models.CharField(_("district"), max_length=30, blank=True)
    region_key = models.CharField(_("region key"), max_length=60)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    source_ref = models.CharField(_("source reference"), max_length=60, blank=True)
    detected_at = models.DateTimeField(_("detected at"), db_index=True)
    last_seen_at = models.DateTimeField(_("last seen at"))
    occurrences = models.PositiveIntegerField(_("occurrences"), default=1)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    note = models.TextField(_("note"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("diversion alert")
        verbose_name_plural = _("diversion alerts")
        ordering = ["-detected_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "region_key", "source"],
                condition=models.Q(status="open"),
                name="diversion_alert_one_open",
            )
        ]
        indexes = [
            models.Index(fields=["distributor", "detected_at"], name="diversion_dist_time_idx"),
            models.Index(fields=["status", "detected_at"], name="diversion_status_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.region} {self.get_source_display()}"

    @property
    def region(self) -> str:
        return "".join(p for p in (self.province, self.city, self.district) if p)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class RateCounter(models.Model):
    """Requests of one client in one window of the public pages' rate limit.

    One row per bucket, client hash and window, counted up with one atomic statement,
    so every web process (gunicorn workers, threads) shares the same budget without a
    shared cache. Rows of past windows are deleted as they expire.
    """

    key = models.CharField(_("key"), max_length=80, unique=True)
    count = models.PositiveIntegerField(_("requests"), default=0)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("rate-limit counter")
        verbose_name_plural = _("rate-limit counters")

    def __str__(self) -> str:
        return f"{self.key}={self.count}"
