"""Work orders (工单): one job for one customer, usually about one unit, with its history.

A work order's state changes only through ``unitrace.service.workorders``, which writes a
``WorkOrderTransition`` for every change (who, when, why) under the order's row lock.
The unit's own history stays in the serials ledger: the work order records ledger events
that name it (``ref_type="WO"``), so the unit's file shows the job.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from unitrace.core.models import created_by_field
from unitrace.geo.fields import Located
from unitrace.service.models.sla import ServiceClass
from unitrace.service.states import Channel, Kind, Mode, Priority, State


def _seconds(label) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(label, null=True, blank=True, editable=False)


def _public_token() -> str:
    return secrets.token_urlsafe(18)


class FaultCategory(models.Model):
    """A family of faults (制冷, 电气, 噪音...): the level dispatch matches skills on."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("fault category")
        verbose_name_plural = _("fault categories")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        """The name in the reader's language (English falls back to Chinese)."""
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name_zh


class FaultCode(models.Model):
    """One fault (E1 不制冷...), chosen at intake and corrected at diagnosis."""

    category = models.ForeignKey(
        FaultCategory,
        verbose_name=_("fault category"),
        on_delete=models.PROTECT,
        related_name="codes",
    )
    code = models.CharField(_("code"), max_length=20, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("fault code")
        verbose_name_plural = _("fault codes")
        ordering = ["category__code", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name_zh


class WorkOrder(Located):
    """The site's division code and point (``geo.fields.Located``) come from the address
    at intake; a phone's GPS overrides the centroid."""

    number = models.CharField(_("number"), max_length=40, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.REPAIR)
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    mode = models.CharField(
        _("service mode"), max_length=10, choices=Mode.choices, default=Mode.ON_SITE
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.NEW)
    # the state a paused order (waiting for parts or the customer) resumes into
    resume_state = models.CharField(
        _("resumes into"), max_length=20, choices=State.choices, blank=True
    )

    unit = models.ForeignKey(
        "serials.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_orders",
    )
    # what the caller said, kept when it matched no unit (flagged at intake)
    serial_given = models.CharField(_("serial as given"), max_length=100, blank=True)
    customer = models.ForeignKey(
        "parties.Party",
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_orders",
    )
    contact_name = models.CharField(_("contact name"), max_length=100)
    contact_phone = models.CharField(_("contact phone"), max_length=20)
    contact_phone_tail = models.CharField(
        _("last digits of the contact phone"), max_length=4, blank=True, editable=False
    )
    address = models.CharField(_("site address"), max_length=300, blank=True)
    window_start = models.DateTimeField(_("preferred from"), null=True, blank=True)
    window_end = models.DateTimeField(_("preferred until"), null=True, blank=True)

    reported_fault = models.ForeignKey(
        FaultCode,
        verbose_name=_("fault reported"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    fault_code = models.ForeignKey(
        FaultCode,
        verbose_name=_("fault code"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Chosen at intake, corrected at diagnosis."),
    )
    description = models.TextField(_("fault description"), max_length=4000, blank=True)
    notes = models.TextField(_("notes"), max_length=4000, blank=True)
    resolution = models.TextField(_("resolution"), max_length=4000, blank=True)
    cancel_reason = models.CharField(_("cancellation reason"), max_length=300, blank=True)

    # mail-in (寄修): the courier and tracking number both ways
    courier_in = models.CharField(_("courier to us"), max_length=40, blank=True)
    tracking_in = models.CharField(_("tracking number to us"), max_length=60, blank=True)
    courier_out = models.CharField(_("courier back"), max_length=40, blank=True)
    tracking_out = models.CharField(_("tracking number back"), max_length=60, blank=True)

    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("engineer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_work_orders",
    )
    partner = models.ForeignKey(
        "parties.Party",
        verbose_name=_("service partner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partner_work_orders",
        help_text=_("A service partner's logins see only the work orders given to it."),
    )
    rma = models.ForeignKey(
        "service.RMA",
        verbose_name=_("from return"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_orders",
    )
    reopened_from = models.ForeignKey(
        "self",
        verbose_name=_("repeat of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="repeats",
    )

    # what intake computed, kept as it was then (the warranty can change later)
    entitlement = models.JSONField(_("entitlement at intake"), default=dict, blank=True)
    covered = models.BooleanField(_("covered at intake"), null=True)
    flag_count = models.PositiveSmallIntegerField(_("flags"), default=0)

    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    # the customer's contract class (SLA policies match on it); set at intake, by the
    # customer's contract once contracts exist
    service_class = models.CharField(
        _("service class"), max_length=20, choices=ServiceClass.choices, blank=True
    )
    # what the dashboards read, written when each SLA clock is met: business time less
    # the pauses (what the target measures) and wall time from opening
    response_business_seconds = _seconds(_("response time (business seconds)"))
    response_wall_seconds = _seconds(_("response time (seconds)"))
    arrival_business_seconds = _seconds(_("arrival time (business seconds)"))
    arrival_wall_seconds = _seconds(_("arrival time (seconds)"))
    resolution_business_seconds = _seconds(_("resolution time (business seconds)"))
    resolution_wall_seconds = _seconds(_("resolution time (seconds)"))
    opened_at = models.DateTimeField(_("opened at"), db_index=True)
    assigned_at = models.DateTimeField(_("first assigned at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("first accepted at"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("first arrived at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = created_by_field()
    # the customer's progress link (/r/<token>/): unguessable, shows nothing personal
    public_token = models.CharField(max_length=32, unique=True, default=_public_token)

    class Meta:
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")
        ordering = ["-opened_at", "-id"]
        permissions = [
            ("dispatch_workorder", _("Can assign and reassign work orders")),
            ("work_workorder", _("Can work on the work orders assigned to them")),
            ("close_workorder", _("Can close, cancel and reopen work orders")),
        ]
        indexes = [
            models.Index(fields=["state", "opened_at"], name="wo_state_opened"),
            models.Index(fields=["contact_phone_tail"], name="wo_phone_tail"),
            models.Index(fields=["contact_phone"], name="wo_phone"),
            models.Index(fields=["unit", "state"], name="wo_unit_state"),
            models.Index(fields=["assignee", "state"], name="wo_assignee_state"),
            models.Index(fields=["partner", "state"], name="wo_partner_state"),
            models.Index(fields=["customer", "opened_at"], name="wo_customer_opened"),
            # the list's "flagged" filter: only the few flagged orders are in it
            models.Index(
                fields=["opened_at"], condition=Q(flag_count__gt=0), name="wo_flagged_opened"
            ),
            # the agent's search by a serial that matched no unit at intake
            models.Index(fields=["serial_given"], name="wo_serial_given"),
            # a region's orders in their states: ``adcode LIKE '33%'`` and a state; the
            # pattern operator class lets PostgreSQL use the index for the prefix
            models.Index(
                fields=["adcode", "state"],
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
                name="wo_region_state",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(window_start__isnull=True)
                | Q(window_end__isnull=True)
                | Q(window_end__gt=models.F("window_start")),
                name="wo_window_order",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs) -> None:
        from unitrace.parties.models import phone_tail

        self.contact_phone_tail = phone_tail(self.contact_phone)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "contact_phone" in update_fields:
            kwargs["update_fields"] = {*update_fields, "contact_phone_tail"}
        super().save(*args, **kwargs)


class WorkOrderTransition(models.Model):
    """One step of a work order's life: from which state to which, who, when and why."""

    work_order = models.ForeignKey(
        WorkOrder,
        verbose_name=_("work order"),
        on_delete=models.CASCADE,
        related_name="transitions",
    )
    action = models.CharField(_("action"), max_length=20)
    from_state = models.CharField(_("from"), max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=20, choices=State.choices)
    at = models.DateTimeField(_("at"))
    actor = created_by_field(_("by"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("work-order transition")
        verbose_name_plural = _("work-order transitions")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["work_order", "at"], name="wo_transition_order")]

    def __str__(self) -> str:
        return f"{self.work_order_id}: {self.from_state or '∅'} → {self.to_state}"


class WorkOrderFlag(models.Model):
    """A fraud or sanity flag raised at intake, for a person to look at (never a block)."""

    class Code(models.TextChoices):
        UNKNOWN_SERIAL = "unknown_serial", _("unknown serial")
        NEVER_SOLD = "never_sold", _("never sold")
        WARRANTY_EXPIRED = "warranty_expired", _("warranty expired")
        REGION_DIFFERS = "region_differs", _("region differs from the sale's")
        LABEL_UNVERIFIED = "label_unverified", _("label not verified")
        LABEL_CLONED = "label_cloned", _("label flagged as cloned")
        REPEATED_CLAIM = "repeated_claim", _("repeated claim on the unit")
        PHONE_MANY_UNITS = "phone_many_units", _("phone number claims many units")
        ADDRESS_UNRESOLVED = "address_unresolved", _("address not resolved")

    work_order = models.ForeignKey(
        WorkOrder, verbose_name=_("work order"), on_delete=models.CASCADE, related_name="flags"
    )
    code = models.CharField(_("flag"), max_length=30, choices=Code.choices)
    message = models.CharField(_("message"), max_length=300)
    details = models.JSONField(_("details"), default=dict, blank=True)
    raised_at = models.DateTimeField(_("raised at"))
    cleared_at = models.DateTimeField(_("cleared at"), null=True, blank=True)
    cleared_by = created_by_field(_("cleared by"))

    class Meta:
        verbose_name = _("work-order flag")
        verbose_name_plural = _("work-order flags")
        ordering = ["raised_at", "id"]
        constraints = [models.UniqueConstraint(fields=["work_order", "code"], name="wo_flag_once")]
        indexes = [models.Index(fields=["code", "raised_at"], name="wo_flag_code")]

    def __str__(self) -> str:
        return f"{self.work_order_id}: {self.get_code_display()}"


def attachment_storage():
    """The private storage of work-order files (settings ``STORAGES["attachments"]``)."""
    return storages["attachments"]


def _attachment_path(instance: WorkOrderAttachment, filename: str) -> str:
    return f"work-orders/{instance.work_order_id}/{secrets.token_hex(8)}.jpg"


class WorkOrderAttachment(models.Model):
    """A photo (re-encoded as JPEG on arrival) or a document attached to a work order."""

    work_order = models.ForeignKey(
        WorkOrder,
        verbose_name=_("work order"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(
        _("file"), upload_to=_attachment_path, storage=attachment_storage, max_length=200
    )
    original_name = models.CharField(_("original name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=60)
    size = models.PositiveIntegerField(_("size (bytes)"))
    width = models.PositiveIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = created_by_field(_("uploaded by"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name or self.file.name
