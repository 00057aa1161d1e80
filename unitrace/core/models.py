"""Cross-cutting records: the change log of master-data edits and background jobs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def created_by_field(verbose_name=None) -> models.ForeignKey:
    """Who created a document or record; kept as NULL when that login is deleted."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name or _("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


class ChangeLog(models.Model):
    """Before/after of a plain master-data edit (who, when, from where).

    Domain events about units are *not* written here: they live in the serials ledger,
    which is the unit's own history. This table answers "who changed this SKU's
    warranty months, and what was it before".
    """

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("updated")
        DELETE = "delete", _("deleted")
        CANCEL = "cancel", _("cancelled")
        # security events (``core.audit.log_event``)
        LOGIN = "login", _("logged in")
        LOGIN_FAILED = "login_failed", _("login failed")
        LOGOUT = "logout", _("logged out")
        TOKEN_ISSUED = "token_issued", _("token issued")
        TOKEN_REVOKED = "token_revoked", _("token revoked")
        DENIED = "denied", _("permission denied")
        EXPORT = "export", _("data exported")
        READ = "read", _("read (bulk personal data)")

    # position in the one change-log chain (``core.audit``); NULL never after sealing
    seq = models.BigIntegerField(_("sequence"), null=True, blank=True, unique=True, editable=False)
    # set when the entry is built (not on save): the chain hash covers it
    time = models.DateTimeField(_("time"), default=timezone.now, editable=False, db_index=True)
    # the id stays when the login is deleted (no constraint, nothing rewritten): an audit
    # record never changes; ``username`` keeps the name
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    request_id = models.CharField(_("request id"), max_length=40, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=100, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, db_index=True)
    object_repr = models.CharField(_("object"), max_length=200)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    chain_hash = models.CharField(
        _("chain hash"), max_length=64, blank=True, default="", editable=False
    )

    class Meta:
        verbose_name = _("change log entry")
        verbose_name_plural = _("change log")
        ordering = ["-time", "-id"]
        permissions = [("view_audit", _("Can read the full audit history"))]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_repr}"


class ChainHead(models.Model):
    """The last entry of a hash chain: the lock row that serializes its writers.

    A writer claims the next position with ``UPDATE ... RETURNING`` (which waits for the
    previous writer's commit and then reads its head), seals its entry onto ``last_hash``
    and moves the head, all in one transaction. Verification compares the head with the
    chain's last entry, so rows cut off the end are noticed too.
    """

    stream = models.CharField(_("stream"), max_length=30, primary_key=True)
    seq = models.BigIntegerField(_("sequence"), default=0)
    last_hash = models.CharField(_("last hash"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("chain head")
        verbose_name_plural = _("chain heads")
        default_permissions = ()  # written only by core.audit, never granted

    def __str__(self) -> str:
        return f"{self.stream} #{self.seq}"


class Job(models.Model):
    """A long operation (bulk import, serial generation) run outside the request."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")

    kind = models.CharField(_("kind"), max_length=50)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    created_by = created_by_field()
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    total = models.PositiveBigIntegerField(_("total"), default=0)
    done = models.PositiveBigIntegerField(_("done"), default=0)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    input_name = models.CharField(_("input file"), max_length=255, blank=True)
    input_data = models.BinaryField(_("input data"), null=True, blank=True, editable=False)
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    report = models.TextField(_("error report (CSV)"), blank=True)
    # set by ``core.jobs.cancel_job``; the worker reads it (and the cache) as it reports
    # progress, stops and rolls its work back
    cancel_requested = models.BooleanField(_("cancel requested"), default=False)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def percent(self) -> int:
        """0-100 from ``done``/``total``; a job still running stops at 99 until it ends.

        For a running job read the live figures first (``unitrace.core.jobs.live_progress``):
        the row is written at most every half second, and not at all while a job on SQLite
        holds the write lock.
        """
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.total:
            return 0
        value = min(100, self.done * 100 // self.total)
        return value if self.finished else min(99, value)

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED, self.Status.CANCELLED}

    def seconds_left(self, now=None) -> int | None:
        """An estimate of the seconds a running job still needs, at the pace so far;
        None while there is nothing to go by (not started, no total, nothing done yet).

        Read the live figures first (``core.jobs.live_progress``), as for ``percent``.
        """
        if self.status != self.Status.RUNNING or not self.started_at:
            return None
        if not self.total or not self.done or self.done >= self.total:
            return None
        elapsed = ((now or timezone.now()) - self.started_at).total_seconds()
        if elapsed <= 0:
            return None
        return max(1, round(elapsed * (self.total - self.done) / self.done))


class CompanySettings(models.Model):
    """The manufacturer's brand, one row: what public pages, labels and delivery notes
    print instead of the product's own name (read through ``core.company``)."""

    SINGLETON = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON, editable=False)
    name = models.CharField(_("company name"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    hotline = models.CharField(_("service hotline"), max_length=40, blank=True)
    website = models.URLField(_("website"), max_length=200, blank=True)
    logo = models.BinaryField(_("logo"), null=True, blank=True, editable=False)
    logo_type = models.CharField(_("logo type"), max_length=20, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("company settings")
        verbose_name_plural = _("company settings")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="company_settings_singleton")
        ]

    def __str__(self) -> str:
        return self.name or str(_("company settings"))
