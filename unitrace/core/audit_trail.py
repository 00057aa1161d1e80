"""Reading the change log: the auditor's filters and the export (page and API share them)."""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from itertools import islice

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unitrace.core.dates import parse_moment
from unitrace.core.errors import DomainError
from unitrace.core.exports import Download, Export, Table, register_export, start_export
from unitrace.core.models import ChangeLog, Job
from unitrace.core.plugins import changelog_masks

FILTERS = ("user", "model", "object", "since", "until", "ip", "action")
# beyond this (a background job's file) the auditor narrows the filters
EXPORT_MAX_ROWS = 1_000_000
MASK_BATCH = 2000  # entries masked together (one lookup per batch)


class AuditFilterRefused(DomainError):
    code = "invalid_filter"
    default_message = gettext_lazy("This filter is not valid.")


@dataclass(frozen=True)
class Filters:
    user: str = ""
    model: str = ""
    object: str = ""
    since: datetime | None = None
    until: datetime | None = None
    ip: str = ""
    action: str = ""

    def as_params(self) -> dict[str, str]:
        out = {}
        for name in FILTERS:
            value = getattr(self, name)
            if isinstance(value, datetime):
                value = timezone.localtime(value).isoformat()
            if value:
                out[name] = str(value)
        return out


def parse_filters(params: Mapping[str, str]) -> Filters:
    """The filters of a query string; a refusal names the field at fault."""
    text = {name: (params.get(name) or "").strip() for name in FILTERS}
    for name, value in text.items():
        if "\x00" in value or len(value) > 200:
            raise AuditFilterRefused(field=name)
    moments = {}
    for name in ("since", "until"):
        moments[name] = None
        if text[name]:
            moments[name] = parse_moment(text[name])
            if moments[name] is None:
                raise AuditFilterRefused(
                    _("Give a moment such as 2026-12-01 or 2026-12-01T08:00."), field=name
                )
    ip = text["ip"]
    if ip:
        try:
            ip = ipaddress.ip_address(ip).compressed
        except ValueError:
            raise AuditFilterRefused(_("Give an IPv4 or IPv6 address."), field="ip") from None
    if text["action"] and text["action"] not in ChangeLog.Action.values:
        raise AuditFilterRefused(
            _("Unknown action; one of: %(actions)s")
            % {"actions": ", ".join(ChangeLog.Action.values)},
            field="action",
        )
    return Filters(
        user=text["user"],
        model=text["model"].lower(),
        object=text["object"],
        since=moments["since"],
        until=moments["until"],
        ip=ip,
        action=text["action"],
    )


def entries(filters: Filters) -> QuerySet[ChangeLog]:
    """Change-log entries matching ``filters``, newest first."""
    query = ChangeLog.objects.all()
    if filters.user:
        if filters.user.isdigit() and len(filters.user) < 19:
            query = query.filter(user_id=int(filters.user))
        else:
            query = query.filter(username=filters.user)
    if filters.model:
        query = query.filter(object_type=filters.model)
    if filters.object:
        query = query.filter(object_id=filters.object)
    if filters.since:
        query = query.filter(time__gte=filters.since)
    if filters.until:
        query = query.filter(time__lte=filters.until)
    if filters.ip:
        query = query.filter(ip_address=filters.ip)
    if filters.action:
        query = query.filter(action=filters.action)
    return query.order_by("-time", "-id")


def entry_dict(entry: ChangeLog) -> dict:
    return {
        "id": entry.pk,
        "seq": entry.seq,
        "time": entry.time,
        "user_id": entry.user_id,
        "username": entry.username,
        "ip_address": entry.ip_address,
        "user_agent": entry.user_agent,
        "request_id": entry.request_id,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "before": entry.before,
        "after": entry.after,
        "chain_hash": entry.chain_hash,
    }


def masked(entries: Iterable[ChangeLog], user) -> list[ChangeLog]:
    """``entries`` as ``user`` may see them: the mask their object type's app declares
    (``Plugin.masks``) applied to ``before``, ``after`` and ``object_repr`` in memory,
    one call per object type and batch. The stored entries, and the chain hash over
    them, stay as they are."""
    entries = list(entries)
    masks = changelog_masks()
    by_type: dict[str, list[ChangeLog]] = {}
    for entry in entries:
        if entry.object_type in masks:
            by_type.setdefault(entry.object_type, []).append(entry)
    for object_type, group in by_type.items():
        shown = masks[object_type](
            [
                {
                    "object_id": e.object_id,
                    "before": e.before,
                    "after": e.after,
                    "object_repr": e.object_repr,
                }
                for e in group
            ],
            user,
        )
        for entry, view in zip(group, shown, strict=True):
            entry.before, entry.after = view["before"], view["after"]
            entry.object_repr = view["object_repr"]
    return entries


def _columns() -> list[tuple[str, str]]:
    return [
        ("seq", _("Sequence")),
        ("time", _("Time")),
        ("username", _("User")),
        ("user_id", _("User id")),
        ("ip_address", _("IP address")),
        ("action", _("Action")),
        ("object_type", _("Object type")),
        ("object_id", _("Object id")),
        ("object_repr", _("Object")),
        ("before", _("Before")),
        ("after", _("After")),
        ("request_id", _("Request id")),
        ("user_agent", _("User agent")),
        ("chain_hash", _("Chain hash")),
    ]


def _cell(value: object) -> object:
    """A value as a cell; the writer (``core.sheets``) neutralizes formulas."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def _rows(query: Iterable[ChangeLog], user) -> Iterable[list[object]]:
    names = [name for name, _label in _columns()]
    iterator = iter(query)
    while batch := list(islice(iterator, MASK_BATCH)):
        for entry in masked(batch, user):
            data = entry_dict(entry)
            yield [_cell(data[name]) for name in names]


def changelog_table(user, params: Mapping[str, str]) -> Table:
    """The filtered change log as ``user`` may export it (its masks applied)."""
    filters = parse_filters(params)
    query = entries(filters)
    count = query.count()
    if count > EXPORT_MAX_ROWS:
        raise AuditFilterRefused(
            _("%(count)d entries match; narrow the filters to at most %(max)d.")
            % {"count": count, "max": EXPORT_MAX_ROWS},
            code="export_too_large",
        )
    return Table(
        header=[str(label) for _name, label in _columns()],
        rows=_rows(query.iterator(2000), user),
        count=count,
        filters=filters.as_params(),
    )


CHANGELOG_EXPORT = register_export(
    Export(
        name="changelog",
        what="core.changelog",
        permission="core.view_changelog",
        stem="changelog",
        title=lambda: _("Change log"),
        table=changelog_table,
    )
)


def export(user, params: Mapping[str, str], fmt: str) -> Download | Job:
    """The filtered entries as a file now, or the job writing a large one. Logged."""
    return start_export(CHANGELOG_EXPORT.name, user, dict(params.items()), fmt)
