"""The stocktake report and its close: discrepancies, and the ledger events that fix them.

Lines are judged against the ledger *now*, not only against the snapshot, so a unit
shipped normally during the count is not reported missing (it is "changed"):

- missing: the ledger places it here, nobody scanned it → ``report_missing``
- unexpected: scanned here, the ledger places it elsewhere or it was never received →
  ``move`` (in stock elsewhere), ``found`` (reported missing) or ``receive``
  (registered, returned or removed but never received)
- misplaced: here, but scanned in another bin than the ledger's → ``move`` to that bin

Adjustments the closer chose are posted all together or not at all.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import transaction
from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unitrace.core.errors import RowError
from unitrace.inventory.errors import InventoryError, ledger_rows, row
from unitrace.inventory.models import Stocktake, StocktakeLine
from unitrace.inventory.stocktakes.book import BOOK_STATUSES
from unitrace.places.models import Bin
from unitrace.serials import ledger
from unitrace.serials.ledger import EventData, LedgerError
from unitrace.serials.statuses import EventType, Status

REF_TYPE = "stocktake"
ADJUSTABLE = ("missing", "unexpected", "misplaced")
CATEGORIES = (*ADJUSTABLE, "changed")
CATEGORY_LABELS = {
    "missing": gettext_lazy("Missing: in the book, not found"),
    "unexpected": gettext_lazy("Unexpected: found, not in the book"),
    "misplaced": gettext_lazy("Misplaced: right warehouse, wrong bin"),
    "changed": gettext_lazy("Moved by the ledger during the count (no action)"),
}
ACTION_EVENTS = {
    "report_missing": EventType.MISSING,
    "move": EventType.MOVED,
    "found": EventType.FOUND,
    "receive": EventType.RECEIVED,
}
ACTION_LABELS = {
    "report_missing": gettext_lazy("report missing"),
    "move": gettext_lazy("move here"),
    "found": gettext_lazy("found again"),
    "receive": gettext_lazy("receive"),
}
MOVABLE = {Status.IN_STOCK, Status.QUARANTINED, Status.BLOCKED}
LINE_FIELDS = (
    "id",
    "unit_id",
    "unit__serial",
    "unit__sku__code",
    "unit__status",
    "unit__warehouse__code",
    "unit__bin__code",
    "book_bin__code",
    "counted_bin_id",
    "counted_bin__code",
    "counted_at",
    "counted_by__username",
    "scans",
)


def categorized(stocktake: Stocktake) -> QuerySet[StocktakeLine]:
    """Lines annotated with their ``category`` ("" = as in the book), in one pass."""
    here = Q(unit__warehouse_id=stocktake.warehouse_id) & Q(unit__status__in=BOOK_STATUSES)
    counted = Q(counted_at__isnull=False)
    other_bin = Q(counted_bin__isnull=False) & (
        Q(unit__bin__isnull=True) | ~Q(counted_bin_id=F("unit__bin_id"))
    )
    category = Case(
        When(here & Q(counted_at__isnull=True), then=Value("missing")),
        When(here & counted & other_bin, then=Value("misplaced")),
        When(here, then=Value("")),
        When(counted, then=Value("unexpected")),
        default=Value("changed"),
        output_field=CharField(),
    )
    return StocktakeLine.objects.filter(stocktake=stocktake).annotate(category=category)


def discrepancies(stocktake: Stocktake) -> dict[str, QuerySet[StocktakeLine]]:
    lines = categorized(stocktake)
    return {category: lines.filter(category=category) for category in CATEGORIES}


def category_counts(stocktake: Stocktake) -> dict[str, int]:
    """How many lines fall in each category: one GROUP BY over the lines."""
    counts = dict.fromkeys(CATEGORIES, 0)
    for group in categorized(stocktake).values("category").annotate(n=Count("id")).order_by():
        if group["category"]:
            counts[group["category"]] = group["n"]
    return counts


def action_for(category: str, status: str) -> tuple[str | None, str]:
    """The ledger event that reconciles a line, or None and why it cannot be automatic."""
    label = Status(status).label if status in Status.values else status
    if category == "missing":
        return "report_missing", ""
    if category == "misplaced":
        if status in MOVABLE:
            return "move", ""
        return None, _("a %(status)s unit is placed when it is received") % {"status": label}
    if category == "unexpected":
        if status in MOVABLE:
            return "move", ""
        if status == Status.MISSING:
            return "found", ""
        if status in (Status.REGISTERED, Status.RETURNED, Status.REMOVED):
            return "receive", ""
        if status == Status.IN_TRANSIT:
            return None, _("in transit: receive it on its transfer")
        return None, _("the unit is %(status)s: check its history first") % {"status": label}
    return None, ""


def _decorate(category: str, line: dict[str, Any]) -> dict[str, Any]:
    action, note = action_for(category, line["unit__status"])
    status = line["unit__status"]
    return {
        **line,
        "category": category,
        "status_label": Status(status).label if status in Status.values else status,
        "action": action,
        "action_label": ACTION_LABELS.get(action or "", ""),
        "note": note,
        # the ledger event a closed count posted, by its label (a closed report only)
        "adjustment_label": _event_label(line.get("adjustment") or ""),
    }


def _event_label(code: str) -> str:
    return str(EventType(code).label) if code in EventType.values else code


def stocktake_report(stocktake: Stocktake, *, limit: int | None = 500) -> dict[str, Any]:
    """Counts per category and the first ``limit`` lines of each (None = all)."""
    if stocktake.status != Stocktake.Status.OPEN:
        return _closed_report(stocktake, limit)
    report: dict[str, Any] = {"counts": category_counts(stocktake), "lines": {}, "closed": False}
    for category, queryset in discrepancies(stocktake).items():
        if not report["counts"][category]:
            report["lines"][category] = []
            continue
        rows = queryset.order_by("unit__serial").values(*LINE_FIELDS)
        rows = rows if limit is None else rows[:limit]
        report["lines"][category] = [_decorate(category, line) for line in rows]
    return report


def _closed_report(stocktake: Stocktake, limit: int | None) -> dict[str, Any]:
    report: dict[str, Any] = {"counts": {}, "lines": {}, "closed": True}
    for category in CATEGORIES:
        queryset = StocktakeLine.objects.filter(stocktake=stocktake, outcome=category)
        report["counts"][category] = queryset.count()
        rows = queryset.order_by("unit__serial").values(*LINE_FIELDS, "adjustment")
        rows = rows if limit is None else rows[:limit]
        report["lines"][category] = [_decorate(category, line) for line in rows]
    return report


def _chosen(category: str, wanted, lines: list[dict], errors: list[RowError]) -> list[dict]:
    if not wanted:
        return []
    if wanted == "all":
        return [line for line in lines if action_for(category, line["unit__status"])[0]]
    by_unit = {line["unit_id"]: line for line in lines}
    picked = []
    for unit_id in dict.fromkeys(int(u) for u in wanted):
        line = by_unit.get(unit_id)
        if line is None:
            errors.append(
                row(
                    None,
                    _("unit %(id)s is not %(category)s in this count")
                    % {"id": unit_id, "category": category},
                    "not_in_category",
                    unit=unit_id,
                )
            )
            continue
        action, note = action_for(category, line["unit__status"])
        if action is None:
            errors.append(row(line["unit__serial"], note, "no_adjustment"))
            continue
        picked.append(line)
    return picked


def close_stocktake(
    stocktake: Stocktake, *, user=None, reason: str = "", adjust: dict | None = None
) -> Stocktake:
    """Close the count and post the chosen adjustments (``{"missing": "all" | [unit ids]}``)."""
    adjust = adjust or {}
    reason = reason.strip()
    with transaction.atomic():
        stocktake = (
            Stocktake.objects.select_for_update().select_related("warehouse").get(pk=stocktake.pk)
        )
        if stocktake.status != Stocktake.Status.OPEN:
            raise InventoryError(
                _("stocktake %(number)s is already %(status)s")
                % {"number": stocktake.number, "status": stocktake.get_status_display()},
                code="not_open",
            )
        found: dict[str, list[dict]] = {category: [] for category in CATEGORIES}
        for line in (
            categorized(stocktake)
            .exclude(category="")
            .values("id", "unit_id", "unit__serial", "unit__status", "counted_bin_id", "category")
        ):
            found[line["category"]].append(line)
        errors: list[RowError] = []
        chosen = {c: _chosen(c, adjust.get(c), found[c], errors) for c in ADJUSTABLE}
        if errors:
            raise InventoryError(
                _("%(count)d chosen adjustments are not possible; nothing was posted")
                % {"count": len(errors)},
                code="adjustments_refused",
                rows=errors,
            )
        if any(chosen.values()) and not reason:
            raise InventoryError(_("give a reason for the adjustments"), code="reason_required")
        adjusted = _post(stocktake, chosen, reason)
        _record_outcomes(stocktake, found, adjusted)
        stocktake.status = Stocktake.Status.CLOSED
        stocktake.closed_at = timezone.now()
        stocktake.closed_by = user if user is not None and user.is_authenticated else None
        stocktake.closing_reason = reason
        stocktake.summary = {
            "book": stocktake.book_count,
            "counted": stocktake.counted_count,
            **{category: len(lines) for category, lines in found.items()},
            "adjusted": {c: sum(1 for v in adjusted.values() if v[0] == c) for c in ADJUSTABLE},
        }
        stocktake.save()
    return stocktake


def _post(stocktake: Stocktake, chosen: dict[str, list[dict]], reason: str) -> dict[int, tuple]:
    """Group the chosen lines by ledger event and bin; one ``record_many`` per group."""
    groups: dict[tuple[str, int | None], list[dict]] = defaultdict(list)
    category_of: dict[int, str] = {}
    for category, lines in chosen.items():
        for line in lines:
            action, _note = action_for(category, line["unit__status"])
            bin_id = None if action == "report_missing" else line["counted_bin_id"]
            groups[(action, bin_id)].append(line)
            category_of[line["id"]] = category
    bins = Bin.objects.in_bulk([b for _a, b in groups if b])
    errors: list[RowError] = []
    adjusted: dict[int, tuple] = {}
    for (action, bin_id), lines in groups.items():
        data = EventData(
            ACTION_EVENTS[action],
            warehouse=None if action == "report_missing" else stocktake.warehouse,
            bin=bins.get(bin_id) if bin_id else None,
            notes=reason,
            ref_type=REF_TYPE,
            ref_id=stocktake.number,
        )
        try:
            ledger.record_many([line["unit_id"] for line in lines], data)
        except LedgerError as exc:
            errors.extend(ledger_rows(exc))
            continue
        for line in lines:
            adjusted[line["id"]] = (category_of[line["id"]], ACTION_EVENTS[action].value)
    if errors:
        raise InventoryError(
            _("the ledger refused %(count)d adjustments; nothing was posted")
            % {"count": len(errors)},
            code="adjustments_refused",
            rows=errors,
        )
    return adjusted


def _record_outcomes(
    stocktake: Stocktake, found: dict[str, list[dict]], adjusted: dict[int, tuple]
) -> None:
    lines = StocktakeLine.objects.filter(stocktake=stocktake)
    for category, rows in found.items():
        ids = [r["id"] for r in rows if r["id"] not in adjusted]
        for start in range(0, len(ids), 2000):
            lines.filter(pk__in=ids[start : start + 2000]).update(outcome=category)
    by_event: dict[tuple, list[int]] = defaultdict(list)
    for line_id, key in adjusted.items():
        by_event[key].append(line_id)
    for (category, event), ids in by_event.items():
        for start in range(0, len(ids), 2000):
            lines.filter(pk__in=ids[start : start + 2000]).update(
                outcome=category, adjustment=event
            )
