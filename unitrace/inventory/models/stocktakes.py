"""Stocktakes (盘点): a snapshot of the book, scans by several clerks, a report at close.

One line per unit that matters to the count: the units the ledger placed in the
warehouse when the count opened (``in_book``), plus every other unit someone scanned
there. A scan sets the line's ``counted_*`` fields once; scanning again only bumps
``scans``, so nothing is double counted. Every scan also leaves a ``StocktakeScan``
row (who, when, which bin, what happened).

Lines and scans are written by the hundred thousand (a snapshot is one INSERT … SELECT
of real units and bins), so their foreign keys are enforced by Django (PROTECT,
CASCADE) rather than by database triggers, which would lock every unit row and cost
seconds per count; and the rarely searched ones (bins, users) carry no index:
users are deactivated, not deleted. The unique (stocktake, unit) index still guards
against double counting.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Stocktake(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("counting")
        CLOSED = "closed", _("closed")
        CANCELLED = "cancelled", _("cancelled")

    number = models.CharField(_("number"), max_length=40, unique=True)
    warehouse = models.ForeignKey(
        "places.Warehouse",
        verbose_name=_("warehouse"),
        on_delete=models.PROTECT,
        related_name="stocktakes",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    notes = models.TextField(_("notes"), blank=True)
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closing_reason = models.TextField(_("reason for adjustments"), blank=True)
    # Running figures, kept under the stocktake's row lock by every scan.
    book_count = models.PositiveIntegerField(_("units in the book"), default=0)
    scan_count = models.PositiveIntegerField(_("scans"), default=0)
    # Units of the book found; units found that the book did not expect are counted
    # apart, so "counted N / M" can never pass the book.
    counted_count = models.PositiveIntegerField(_("units counted"), default=0)
    unexpected_count = models.PositiveIntegerField(_("unexpected units"), default=0)
    duplicate_count = models.PositiveIntegerField(_("repeated scans"), default=0)
    unknown_count = models.PositiveIntegerField(_("unknown codes"), default=0)
    summary = models.JSONField(_("report summary"), default=dict, blank=True)

    class Meta:
        verbose_name = _("stocktake")
        verbose_name_plural = _("stocktakes")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["warehouse"],
                condition=models.Q(status="open"),
                name="one_open_stocktake_per_warehouse",
            )
        ]
        permissions = [
            ("count_stocktake", _("Can scan units in a stocktake")),
            ("close_stocktake", _("Can close a stocktake and post its adjustments")),
        ]

    def __str__(self) -> str:
        return self.number


class StocktakeLine(models.Model):
    class Outcome(models.TextChoices):
        # Blank until the close; after it, blank means the line matched the book (the
        # close writes only the discrepancies, not 100,000 "ok"s).
        OK = "", _("as in the book")
        MISSING = "missing", _("missing")
        UNEXPECTED = "unexpected", _("unexpected")
        MISPLACED = "misplaced", _("in the wrong bin")
        CHANGED = "changed", _("moved by the ledger during the count")

    stocktake = models.ForeignKey(
        Stocktake,
        verbose_name=_("stocktake"),
        on_delete=models.CASCADE,
        related_name="lines",
        db_index=False,  # the (stocktake, unit) unique index serves
        db_constraint=False,
    )
    unit = models.ForeignKey(
        "serials.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # lines are found by (stocktake, unit)
        db_constraint=False,
    )
    in_book = models.BooleanField(_("in the book"), default=False)
    book_bin = models.ForeignKey(
        "places.Bin",
        verbose_name=_("bin in the book"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    book_status = models.CharField(_("status in the book"), max_length=20, blank=True)
    counted_at = models.DateTimeField(_("counted at"), null=True, blank=True)
    counted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("counted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    counted_bin = models.ForeignKey(
        "places.Bin",
        verbose_name=_("counted in bin"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    scans = models.PositiveIntegerField(_("scans"), default=0)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=Outcome.choices, blank=True, default=""
    )
    adjustment = models.CharField(_("adjustment posted"), max_length=24, blank=True)

    class Meta:
        verbose_name = _("stocktake line")
        verbose_name_plural = _("stocktake lines")
        constraints = [
            models.UniqueConstraint(fields=["stocktake", "unit"], name="stocktake_unit_once")
        ]

    def __str__(self) -> str:
        return f"{self.stocktake_id}:{self.unit_id}"


class StocktakeScan(models.Model):
    """One scan by one clerk, kept as it happened (never updated)."""

    class Outcome(models.TextChoices):
        COUNTED = "counted", _("counted")
        WRONG_BIN = "wrong_bin", _("counted, bin differs from the book")
        UNEXPECTED = "unexpected", _("not in the book")
        DUPLICATE = "duplicate", _("already counted")
        UNKNOWN = "unknown", _("unknown code")
        AMBIGUOUS = "ambiguous", _("serial of several SKUs")

    stocktake = models.ForeignKey(
        Stocktake,
        verbose_name=_("stocktake"),
        on_delete=models.CASCADE,
        related_name="scans",
        db_index=False,  # the (stocktake, scanned_at) index serves
        db_constraint=False,
    )
    unit = models.ForeignKey(
        "serials.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    code = models.CharField(_("scanned code"), max_length=200)
    bin = models.ForeignKey(
        "places.Bin",
        verbose_name=_("bin"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    scanned_at = models.DateTimeField(_("scanned at"))
    scanned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scanned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )

    class Meta:
        verbose_name = _("stocktake scan")
        verbose_name_plural = _("stocktake scans")
        ordering = ["-scanned_at", "-id"]
        indexes = [models.Index(fields=["stocktake", "scanned_at"], name="stocktake_scan_time_idx")]

    def __str__(self) -> str:
        return f"{self.code} {self.outcome}"
