"""SLA policies, the clocks they start on each work order, and the escalations they raise.

A clock stores its due and at-risk moments (computed on the policy's business calendar
when it starts and moved when it resumes), so the escalation job selects the due ones
with an index instead of evaluating a million clocks; see ADR 0007.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from unitrace.service.states import Kind, Priority

MAX_TARGET_MINUTES = 365 * 24 * 60  # a year: anything longer is a typing error

region_validator = RegexValidator(
    r"^(\d{2}|\d{4}|\d{6})$",
    _("A region is a division code prefix of 2 (province), 4 (city) or 6 (district) digits."),
    code="bad_region",
)


class ServiceClass(models.TextChoices):
    """The customer's contract class: what the next issue's contracts will set at intake."""

    STANDARD = "standard", _("standard")
    PREMIUM = "premium", _("premium")
    KEY_ACCOUNT = "key_account", _("key account")


class Target(models.TextChoices):
    RESPOND = "respond", _("first response")
    ARRIVE = "arrive", _("on-site arrival")
    RESOLVE = "resolve", _("resolution")


def _minutes(label) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(
        label,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_TARGET_MINUTES)],
        help_text=_("Business minutes on the policy's calendar; empty: no target."),
    )


class SLAPolicy(models.Model):
    """Targets for the work orders it matches; empty match fields match anything.

    Most specific wins, compared in this order (``service.sla.policy_for``): service
    class, then priority, then work-order type, then region (a longer division-code
    prefix is more specific); a remaining tie goes to the lower ``code``.
    """

    code = models.CharField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    active = models.BooleanField(_("active"), default=True)
    service_class = models.CharField(
        _("service class"), max_length=20, choices=ServiceClass.choices, blank=True
    )
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, blank=True)
    kind = models.CharField(_("work-order type"), max_length=20, choices=Kind.choices, blank=True)
    region = models.CharField(
        _("region"),
        max_length=6,
        blank=True,
        validators=[region_validator],
        help_text=_("Division code prefix: 33 Zhejiang, 3301 Hangzhou, 330106 Xihu."),
    )
    calendar = models.ForeignKey(
        "calendars.BusinessCalendar",
        verbose_name=_("business calendar"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The hours the clocks run in (choose the 24×7 calendar for round the clock)."),
    )
    respond_minutes = _minutes(_("first response within (minutes)"))
    arrive_minutes = _minutes(_("on-site arrival within (minutes)"))
    resolve_minutes = _minutes(_("resolution within (minutes)"))
    at_risk_percent = models.PositiveSmallIntegerField(
        _("at risk from (percentage of the target used)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    pause_for_parts = models.BooleanField(
        _("waiting for parts pauses the clocks"),
        default=False,
        help_text=_("Waiting for the customer always pauses them."),
    )

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(at_risk_percent__gte=1, at_risk_percent__lte=100),
                name="sla_policy_risk_percent",
            ),
            models.CheckConstraint(
                condition=(Q(respond_minutes__isnull=True) | Q(respond_minutes__gte=1))
                & (Q(arrive_minutes__isnull=True) | Q(arrive_minutes__gte=1))
                & (Q(resolve_minutes__isnull=True) | Q(resolve_minutes__gte=1)),
                name="sla_policy_positive_targets",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name_zh

    def target_minutes(self, target: str) -> int | None:
        return getattr(self, f"{target}_minutes")

    def clean(self) -> None:
        if not any(self.target_minutes(t) for t in Target.values):
            raise ValidationError(
                {
                    "respond_minutes": _(
                        "Give at least one target (response, arrival or resolution)."
                    )
                }
            )


class SLAClock(models.Model):
    """One target of one work order: when it is due, how long it was paused, if it was met.

    ``due_at`` and ``at_risk_at`` are stored and moved by pauses, so the escalation job
    selects running clocks by index. ``breached`` is set once (by the job when the due
    time passes, or when the target is met late) and never cleared.
    """

    class State(models.TextChoices):
        RUNNING = "running", _("running")
        PAUSED = "paused", _("paused")
        MET = "met", _("met")
        STOPPED = "stopped", _("stopped (cancelled)")

    work_order = models.ForeignKey(
        "service.WorkOrder",
        verbose_name=_("work order"),
        on_delete=models.CASCADE,
        related_name="sla_clocks",
    )
    target = models.CharField(_("target"), max_length=10, choices=Target.choices)
    policy = models.ForeignKey(
        SLAPolicy, verbose_name=_("SLA policy"), on_delete=models.PROTECT, related_name="clocks"
    )
    # why this policy: the order's values it matched on, kept as they were at open
    matched = models.JSONField(_("matched on"), default=dict, blank=True)
    calendar = models.ForeignKey(
        "calendars.BusinessCalendar",
        verbose_name=_("business calendar"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    target_seconds = models.PositiveIntegerField(_("target (business seconds)"))
    at_risk_percent = models.PositiveSmallIntegerField(_("at risk from (%)"))
    pause_for_parts = models.BooleanField(_("waiting for parts pauses"), default=False)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.RUNNING
    )
    started_at = models.DateTimeField(_("started at"))
    due_at = models.DateTimeField(_("due at"))
    at_risk_at = models.DateTimeField(_("at risk at"))
    paused_at = models.DateTimeField(_("paused since"), null=True, blank=True)
    paused_business_seconds = models.PositiveIntegerField(_("paused (business seconds)"), default=0)
    paused_wall_seconds = models.PositiveIntegerField(_("paused (seconds)"), default=0)
    met_at = models.DateTimeField(_("met at"), null=True, blank=True)
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    at_risk = models.BooleanField(_("at risk"), default=False)
    breached = models.BooleanField(_("breached"), default=False)
    breached_at = models.DateTimeField(_("breached at"), null=True, blank=True)
    # the escalation run that marked it (the job inserts its escalations by these)
    risk_run = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    breach_run = models.PositiveBigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("SLA clock")
        verbose_name_plural = _("SLA clocks")
        ordering = ["work_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["work_order", "target"], name="sla_clock_once"),
        ]
        indexes = [
            # what the escalation job selects: only running clocks not yet marked
            models.Index(
                fields=["at_risk_at"],
                name="sla_clock_risk_due",
                condition=Q(state="running", at_risk=False),
            ),
            models.Index(
                fields=["due_at"],
                name="sla_clock_breach_due",
                condition=Q(state="running", breached=False),
            ),
            models.Index(fields=["risk_run"], name="sla_clock_risk_run"),
            models.Index(fields=["breach_run"], name="sla_clock_breach_run"),
        ]

    def __str__(self) -> str:
        return f"{self.work_order_id} {self.get_target_display()}"


class SupervisorRegion(models.Model):
    """Which supervisor hears about a region's late work orders (longest prefix wins)."""

    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervisor"),
        on_delete=models.CASCADE,
        related_name="supervised_regions",
    )
    region = models.CharField(
        _("region"),
        max_length=6,
        validators=[region_validator],
        help_text=_("Division code prefix: 33 Zhejiang, 3301 Hangzhou, 330106 Xihu."),
    )

    class Meta:
        verbose_name = _("supervised region")
        verbose_name_plural = _("supervised regions")
        ordering = ["region", "supervisor"]
        constraints = [
            models.UniqueConstraint(fields=["supervisor", "region"], name="sla_supervisor_region")
        ]
        indexes = [models.Index(fields=["region"], name="sla_supervisor_region_code")]

    def __str__(self) -> str:
        return f"{self.region} → {self.supervisor}"


class SLAEscalationRun(models.Model):
    """One run of the escalation job: when, and how many clocks it marked."""

    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    at_risk = models.PositiveIntegerField(_("marked at risk"), default=0)
    breached = models.PositiveIntegerField(_("marked breached"), default=0)
    escalations = models.PositiveIntegerField(_("escalations recorded"), default=0)

    class Meta:
        verbose_name = _("SLA escalation run")
        verbose_name_plural = _("SLA escalation runs")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M}"


class SLAEscalation(models.Model):
    """One supervisor told that one clock is at risk or breached: who, when, what."""

    class Level(models.TextChoices):
        AT_RISK = "at_risk", _("at risk")
        BREACHED = "breached", _("breached")

    clock = models.ForeignKey(
        SLAClock, verbose_name=_("SLA clock"), on_delete=models.CASCADE, related_name="escalations"
    )
    # no database constraint: checking one would take a key-share lock on the order's
    # row while a step may hold it and wait for this clock (a deadlock); the clock's own
    # key ties the row to the order, and orders are never deleted
    work_order = models.ForeignKey(
        "service.WorkOrder",
        verbose_name=_("work order"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="sla_escalations",
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    target = models.CharField(_("target"), max_length=10, choices=Target.choices)
    due_at = models.DateTimeField(_("due at"))
    # null: nobody supervises the region and there is no supervisor at all
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("told"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sla_escalations",
    )
    at = models.DateTimeField(_("at"))
    run = models.PositiveBigIntegerField(_("run"))

    class Meta:
        verbose_name = _("SLA escalation")
        verbose_name_plural = _("SLA escalations")
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["clock", "level", "recipient"], name="sla_escalation_once"
            ),
            models.UniqueConstraint(
                fields=["clock", "level"],
                condition=Q(recipient__isnull=True),
                name="sla_escalation_once_unaddressed",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "at"], name="sla_escalation_recipient"),
            models.Index(fields=["work_order", "at"], name="sla_escalation_order"),
        ]

    def __str__(self) -> str:
        return f"{self.work_order_id} {self.get_target_display()} {self.get_level_display()}"
