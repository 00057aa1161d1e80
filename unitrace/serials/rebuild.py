"""Replaying events to re-derive units' state, and reporting where it drifted.

Two kinds of derived state are checked: the unit rows' state fields (``check_units``)
and the component links (``check_links``), which the parent's component_installed /
component_removed and the component's fitted / unfitted events determine.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unitrace.core.labels import choice_label
from unitrace.serials.ledger import STATE_FIELDS, apply_event
from unitrace.serials.models import ComponentLink, Unit, UnitEvent
from unitrace.serials.statuses import EventType


@dataclass
class Drift:
    unit_id: int
    serial: str
    field: str  # the attname: ``status``, ``warehouse_id``
    stored: object
    derived: object

    def describe(self) -> str:
        """One line of the drift report: the field's name and both values as people read
        them (a status by its label, never an enum's repr such as ``Status.ACTIVATED``),
        the attname kept for whoever repairs it by hand."""
        model_field = next(f for f in Unit._meta.concrete_fields if f.attname == self.field)
        return _(
            "%(serial)s (#%(id)s) %(label)s [%(field)s]: stored %(stored)s, derived %(derived)s"
        ) % {
            "serial": self.serial,
            "id": self.unit_id,
            "label": model_field.verbose_name,
            "field": self.field,
            "stored": _value_text(model_field, self.stored),
            "derived": _value_text(model_field, self.derived),
        }


def _value_text(model_field: models.Field, value: object) -> str:
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return f"{choice_label(model_field.choices, value)} ({getattr(value, 'value', value)})"
    if model_field.is_relation:
        return f"#{value}"
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(sep=" ", timespec="seconds")
    return str(value)


def _attnames() -> list[str]:
    return [Unit._meta.get_field(name).attname for name in STATE_FIELDS]


def derive(unit: Unit, events: list[UnitEvent]) -> Unit:
    """A fresh copy of ``unit`` with state computed from ``events`` only."""
    fresh = Unit(pk=unit.pk, sku_id=unit.sku_id, serial=unit.serial, status="")
    for name in _attnames():
        if name != "status":
            setattr(fresh, name, None)
    fresh.event_count = 0
    for event in events:
        apply_event(fresh, event)
    return fresh


def check_units(queryset=None, *, fix: bool = False, chunk: int = 2000) -> Iterator[Drift]:
    """Yield every difference between stored and derived state (and repair it if asked)."""
    queryset = queryset if queryset is not None else Unit.objects.all()
    names = _attnames()
    last_id = 0
    while True:
        units = list(queryset.filter(pk__gt=last_id).order_by("pk")[:chunk])
        if not units:
            return
        last_id = units[-1].pk
        by_unit: dict[int, list[UnitEvent]] = {u.pk: [] for u in units}
        for event in UnitEvent.objects.filter(unit_id__in=by_unit).order_by(
            "unit_id", "occurred_at", "id"
        ):
            by_unit[event.unit_id].append(event)
        to_fix = []
        for unit in units:
            derived = derive(unit, by_unit[unit.pk])
            drifted = False
            for name in names:
                stored, computed = getattr(unit, name), getattr(derived, name)
                if stored != computed:
                    drifted = True
                    yield Drift(unit.pk, unit.serial, name, stored, computed)
            if drifted and fix:
                for name in names:
                    setattr(unit, name, getattr(derived, name))
                to_fix.append(unit)
        if to_fix:
            with transaction.atomic():
                Unit.objects.bulk_update(to_fix, names)


# Component links ---------------------------------------------------------------------
#
# A ComponentLink row is derived state too: both sides' events say when which part was
# inside which unit. The two sides must tell the same story and the rows must match it.

PARENT_SIDE = (EventType.COMPONENT_INSTALLED, EventType.COMPONENT_REMOVED)
COMPONENT_SIDE = (EventType.FITTED, EventType.UNFITTED)
Pair = tuple[int | None, int | None]  # (parent unit id, component unit id)


class LinkDriftKind(models.TextChoices):
    MISSING = "missing", gettext_lazy("link missing")
    EXTRA = "extra", gettext_lazy("link without events")
    MISMATCH = "mismatch", gettext_lazy("link differs from its events")
    EVENTS = "events", gettext_lazy("parent and component events disagree")


@dataclass
class LinkDrift:
    kind: str
    parent_id: int | None
    component_id: int | None
    stored: dict[str, Any] | None = None  # the row as stored (None: there is none)
    derived: dict[str, Any] | None = None  # the link the events describe (None: none)
    detail: str = ""
    parent_serial: str = ""
    component_serial: str = ""

    @property
    def fixable(self) -> bool:
        """Rows can be rewritten from the events; events that disagree need a person
        (they are append-only: a correction is a new event, not an edit)."""
        return self.kind != LinkDriftKind.EVENTS

    def describe(self) -> str:
        text = _("%(parent)s ⊃ %(component)s: %(kind)s; stored=%(stored)s derived=%(derived)s")
        text %= {
            "parent": self.parent_serial or f"#{self.parent_id}",
            "component": self.component_serial or f"#{self.component_id}",
            "kind": LinkDriftKind(self.kind).label,
            "stored": self.stored,
            "derived": self.derived,
        }
        return f"{text} ({self.detail})" if self.detail else text


@dataclass(frozen=True)
class _Span:
    """One period a component spent in a parent, as the events tell it."""

    installed_at: datetime
    removed_at: datetime | None
    position: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "installed_at": _iso(self.installed_at),
            "removed_at": _iso(self.removed_at),
            "position": self.position,
        }


@dataclass
class _Write:
    action: str  # delete, close, reopen, create (the order they are applied in)
    pair: Pair
    link: ComponentLink | None = None
    span: _Span | None = None


_WRITE_ORDER = {"delete": 0, "close": 1, "reopen": 2, "create": 3}


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _link_dict(link: ComponentLink) -> dict[str, Any]:
    return {
        "id": link.pk,
        "installed_at": _iso(link.installed_at),
        "removed_at": _iso(link.removed_at),
        "position": link.position,
    }


def _spans(events: list[UnitEvent], opening: str) -> tuple[list[_Span], list[str]]:
    """The fitted periods one side's events describe, and what in them makes no sense."""
    spans: list[_Span] = []
    problems: list[str] = []
    open_since: tuple[datetime, str] | None = None
    for event in events:
        if event.type == opening:
            if open_since is not None:
                problems.append(
                    _("%(event)s at %(time)s while fitted since %(since)s")
                    % {
                        "event": EventType(event.type).label,
                        "time": _iso(event.occurred_at),
                        "since": _iso(open_since[0]),
                    }
                )
                continue
            open_since = (event.occurred_at, (event.details or {}).get("position", ""))
        elif open_since is None:
            problems.append(
                _("%(event)s at %(time)s without a preceding installation")
                % {"event": EventType(event.type).label, "time": _iso(event.occurred_at)}
            )
        else:
            spans.append(_Span(open_since[0], event.occurred_at, open_since[1]))
            open_since = None
    if open_since is not None:
        spans.append(_Span(open_since[0], None, open_since[1]))
    return spans, problems


def compare_links(
    pair: Pair,
    parent_events: list[UnitEvent],
    component_events: list[UnitEvent],
    links: list[ComponentLink],
) -> tuple[list[LinkDrift], list[_Write]]:
    """The drift of one (parent, component) pair, and the row writes that repair it."""
    parent_id, component_id = pair
    by_parent, problems = _spans(parent_events, EventType.COMPONENT_INSTALLED)
    by_component, component_problems = _spans(component_events, EventType.FITTED)
    problems += component_problems
    times_parent = [(s.installed_at, s.removed_at) for s in by_parent]
    times_component = [(s.installed_at, s.removed_at) for s in by_component]
    if problems or times_parent != times_component:
        detail = "; ".join(problems) or _(
            "the parent's events say %(parent)s, the component's say %(component)s"
        ) % {
            "parent": [s.as_dict() for s in by_parent],
            "component": [s.as_dict() for s in by_component],
        }
        stored = {"links": [_link_dict(link) for link in links]} if links else None
        return [LinkDrift(LinkDriftKind.EVENTS, parent_id, component_id, stored, None, detail)], []

    drifts: list[LinkDrift] = []
    writes: list[_Write] = []
    unused = sorted(links, key=lambda link: (link.installed_at, link.pk))
    for span in by_parent:
        match = next((link for link in unused if link.installed_at == span.installed_at), None)
        if match is None:
            drifts.append(LinkDrift(LinkDriftKind.MISSING, *pair, derived=span.as_dict()))
            writes.append(_Write("create", pair, span=span))
            continue
        unused.remove(match)
        if (match.removed_at, match.position) != (span.removed_at, span.position):
            drifts.append(
                LinkDrift(LinkDriftKind.MISMATCH, *pair, _link_dict(match), span.as_dict())
            )
            action = "close" if span.removed_at is not None else "reopen"
            writes.append(_Write(action, pair, match, span))
    for link in unused:
        drifts.append(LinkDrift(LinkDriftKind.EXTRA, *pair, stored=_link_dict(link)))
        writes.append(_Write("delete", pair, link))
    return drifts, writes


def _events_of(unit_ids: Iterable[int], types) -> dict[int, list[UnitEvent]]:
    found: dict[int, list[UnitEvent]] = defaultdict(list)
    unit_ids = list(unit_ids)
    if unit_ids:
        events = (
            UnitEvent.objects.filter(unit_id__in=unit_ids, type__in=types)
            .only("id", "unit_id", "type", "occurred_at", "details")
            .order_by("unit_id", "occurred_at", "id")
        )
        for event in events:
            found[event.unit_id].append(event)
    return found


def _detail_id(event: UnitEvent, key: str) -> int | None:
    value = (event.details or {}).get(key)
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _apply(writes: list[_Write]) -> None:
    """Deletes and closings first, then re-openings and new rows, in one transaction:
    a component is never fitted twice at once, not even between two statements."""
    with transaction.atomic():
        for write in sorted(writes, key=lambda w: _WRITE_ORDER[w.action]):
            if write.action == "delete":
                write.link.delete()
            elif write.action in {"close", "reopen"}:
                write.link.removed_at = write.span.removed_at
                write.link.position = write.span.position
                write.link.save(update_fields=["removed_at", "position"])
            else:
                ComponentLink.objects.create(
                    parent_id=write.pair[0],
                    component_id=write.pair[1],
                    installed_at=write.span.installed_at,
                    removed_at=write.span.removed_at,
                    position=write.span.position,
                )


def check_links(queryset=None, *, fix: bool = False, chunk: int = 2000) -> Iterator[LinkDrift]:
    """Yield every component link that differs from what the events say.

    A (parent, component) pair is checked once: with its component when the component
    is in ``queryset``, otherwise with its parent. With ``fix`` the rows are rewritten
    from the events once every chunk is read (rows whose events disagree are left
    alone and reported: see ``LinkDrift.fixable``).
    """
    queryset = queryset if queryset is not None else Unit.objects.all()
    writes: list[_Write] = []
    last_id = 0
    while True:
        ids = list(
            queryset.filter(pk__gt=last_id).order_by("pk").values_list("pk", flat=True)[:chunk]
        )
        if not ids:
            break
        last_id = ids[-1]
        here = set(ids)
        own_parent = _events_of(here, PARENT_SIDE)
        own_component = _events_of(here, COMPONENT_SIDE)
        links = list(
            ComponentLink.objects.filter(
                models.Q(parent_id__in=ids) | models.Q(component_id__in=ids)
            )
        )
        pairs: set[Pair] = set()
        for parent_id, events in own_parent.items():
            pairs.update((parent_id, _detail_id(e, "component_id")) for e in events)
        for component_id, events in own_component.items():
            pairs.update((_detail_id(e, "parent_id"), component_id) for e in events)
        pairs.update((link.parent_id, link.component_id) for link in links)

        # A pair whose component is in scope but not in this chunk is checked there.
        outside = {c for _p, c in pairs if c is not None and c not in here}
        in_scope = set(queryset.filter(pk__in=outside).values_list("pk", flat=True))
        pairs = {(p, c) for p, c in pairs if c in here or c not in in_scope}

        other_parent = _events_of({p for p, _c in pairs if p is not None} - here, PARENT_SIDE)
        other_component = _events_of({c for _p, c in pairs if c is not None} - here, COMPONENT_SIDE)
        links_by_pair: dict[Pair, list[ComponentLink]] = defaultdict(list)
        for link in links:
            links_by_pair[(link.parent_id, link.component_id)].append(link)

        found: list[LinkDrift] = []
        for pair in sorted(pairs, key=lambda p: (p[0] or 0, p[1] or 0)):
            parent_id, component_id = pair
            parent_events = [
                e
                for e in (own_parent.get(parent_id) or other_parent.get(parent_id) or [])
                if _detail_id(e, "component_id") == component_id
            ]
            component_events = [
                e
                for e in (
                    own_component.get(component_id) or other_component.get(component_id) or []
                )
                if _detail_id(e, "parent_id") == parent_id
            ]
            drifts, repairs = compare_links(
                pair, parent_events, component_events, links_by_pair.get(pair, [])
            )
            found.extend(drifts)
            writes.extend(repairs)
        if found:
            serials = dict(
                Unit.objects.filter(
                    pk__in={i for d in found for i in (d.parent_id, d.component_id) if i}
                ).values_list("pk", "serial")
            )
            for drift in found:
                drift.parent_serial = serials.get(drift.parent_id, "")
                drift.component_serial = serials.get(drift.component_id, "")
                yield drift
    if fix and writes:
        _apply(writes)
