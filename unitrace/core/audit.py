"""The change log: master-data edits, document steps and security events, hash-chained.

``log_change`` records an edit (every edit path calls it), ``log_event`` a security
event (logins, failed logins, tokens, permission denials, exports). Every entry is
appended through ``append``: one chain for the whole log (stream ``changelog``), whose
writers are serialized by the lock row ``ChainHead("changelog")``; each entry carries
its position (``seq``) and ``chain_hash = HMAC(key, prev + "\n" + payload)`` over
``CHANGELOG_FIELDS`` (see ``unitrace.core.chain`` for the serialization and the key).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, router, transaction
from django.db.models.deletion import Collector
from django.forms.models import model_to_dict

from unitrace.core.chain import GENESIS, Break, address, dumps, moment, seal
from unitrace.core.context import current_actor
from unitrace.core.models import ChainHead, ChangeLog

STREAM = "changelog"
# The payload of an entry, in this order (``unitrace.core.chain``).
CHANGELOG_FIELDS = [
    "seq",
    "time",
    "user_id",
    "username",
    "ip_address",
    "user_agent",
    "request_id",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
]

# Secrets never written to the log: an entry shows *that* they changed, not their value.
# Keys are model labels (the concrete model's), "*" applies to every model.
SECRET_FIELDS: dict[str, frozenset[str]] = {
    "*": frozenset({"password"}),
    "authtoken.token": frozenset({"key"}),
    "accounts.apitoken": frozenset({"digest"}),
    "otp_totp.totpdevice": frozenset({"key"}),
}
# Rows the log does not describe: the audit trails themselves.
UNLOGGED_MODELS = frozenset({"core.changelog", "admin.logentry"})


def _secret_names(instance: models.Model) -> frozenset[str]:
    label = instance._meta.concrete_model._meta.label_lower
    return SECRET_FIELDS["*"] | SECRET_FIELDS.get(label, frozenset())


def _fingerprint(value: Any) -> str:
    """Stands in for a secret: equal values compare equal, the value is not recoverable."""
    if value in (None, ""):
        return ""
    return "sha256:" + hashlib.sha256(str(value).encode()).hexdigest()[:12]


def _secret_pk(instance: models.Model) -> bool:
    pk_name = instance._meta.pk.name
    return pk_name in _secret_names(instance) and instance.pk == getattr(
        instance, instance._meta.pk.attname
    )


def snapshot(instance: models.Model) -> dict[str, Any]:
    """A JSON-safe picture of a row, for before/after comparison."""
    data = model_to_dict(instance)
    for field in instance._meta.many_to_many:
        if field.name in data:
            # m2m values (group members, permissions) are listed by name, in a stable order
            data[field.name] = sorted(str(value) for value in data[field.name])
    data["id"] = instance.pk
    for name, value in data.items():
        if isinstance(value, datetime) and value.tzinfo is not None:
            # one instant, one text: a value read back from the database (UTC) and
            # the same value entered in a form (local time) must compare equal
            data[name] = value.astimezone(UTC)
    for name in _secret_names(instance):
        if name in data:
            data[name] = _fingerprint(data[name])
    if _secret_pk(instance):
        data["id"] = _fingerprint(instance.pk)
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder, default=str))


def log_change(
    instance: models.Model,
    action: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> ChangeLog:
    actor = current_actor()
    if after is None and action != ChangeLog.Action.DELETE:
        after = snapshot(instance)
    if before and after:
        changed = {k for k in after if before.get(k) != after.get(k)}
        before = {k: before.get(k) for k in changed | {"id"}}
        after = {k: after.get(k) for k in changed | {"id"}}
    object_id = str(instance.pk)
    object_repr = str(instance)[:200]
    secrets_ = [str(getattr(instance, n, "") or "") for n in _secret_names(instance)]
    if _secret_pk(instance):
        object_id = _fingerprint(instance.pk)
    if any(s and s in object_repr for s in secrets_):
        object_repr = f"{instance._meta.verbose_name} {_fingerprint(instance.pk)}"
    return append(
        ChangeLog(
            user_id=actor.user_id,
            username=actor.username,
            ip_address=actor.ip_address,
            user_agent=actor.user_agent,
            request_id=actor.request_id,
            action=action,
            object_type=instance._meta.label_lower,
            object_id=object_id,
            object_repr=object_repr,
            before=before,
            after=after,
        )
    )


def entry_payload(values: list[Any]) -> str:
    """The canonical payload of an entry from its values in ``CHANGELOG_FIELDS`` order."""
    out = list(values)
    out[1] = moment(out[1])
    out[4] = address(out[4])
    return dumps(out)


def _claim(cursor) -> tuple[int, str]:
    """Take the chain's lock row and the next position: (seq, hash of the last entry)."""
    table = ChainHead._meta.db_table
    claim = f"UPDATE {table} SET seq = seq + 1 WHERE stream = %s RETURNING seq, last_hash"  # noqa: S608
    cursor.execute(claim, [STREAM])
    row = cursor.fetchone()
    if row is None:  # a new database: the head is created once, by whoever comes first
        cursor.execute(
            f"INSERT INTO {table} (stream, seq, last_hash) VALUES (%s, 0, '') "  # noqa: S608
            "ON CONFLICT (stream) DO NOTHING",
            [STREAM],
        )
        cursor.execute(claim, [STREAM])
        row = cursor.fetchone()
    return row[0], row[1]


def append(entry: ChangeLog) -> ChangeLog:
    """Seal ``entry`` onto the chain and insert it, in the caller's transaction.

    The head row stays locked until that transaction ends: keep the work after a
    change-log write short (the log is written last by every service).
    """
    with transaction.atomic(), connection.cursor() as cursor:
        seq, prev = _claim(cursor)
        entry.seq = seq
        entry.ip_address = entry.ip_address or None
        entry.chain_hash = seal(
            prev, entry_payload([getattr(entry, name) for name in CHANGELOG_FIELDS])
        )
        entry.save(force_insert=True)
        cursor.execute(
            f"UPDATE {ChainHead._meta.db_table} SET last_hash = %s WHERE stream = %s",  # noqa: S608
            [entry.chain_hash, STREAM],
        )
    return entry


def log_event(
    kind: str,
    *,
    user=None,
    username: str = "",
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    details: dict[str, Any] | None = None,
) -> ChangeLog:
    """Record a security event: ``kind`` is a ``ChangeLog.Action`` (``login``,
    ``login_failed``, ``logout``, ``token_issued``, ``token_revoked``, ``denied``,
    ``export``).

    Who and from where come from the current request (``core.context``); ``user`` or
    ``username`` name the account concerned when it is not the actor (a failed login
    names the account tried). ``details`` (JSON-safe, no secrets: never a password or a
    token's key) land in the entry's ``after``. Call it outside a transaction that may
    roll back when the event must stay recorded (a refusal, a failed login).
    """
    if kind not in ChangeLog.Action.values:
        raise ValueError(f"unknown audit event {kind!r}")
    actor = current_actor()
    user_id = getattr(user, "pk", user) if user is not None else actor.user_id
    name = username or (getattr(user, "get_username", lambda: "")() if user else actor.username)
    return append(
        ChangeLog(
            user_id=user_id,
            username=(name or "")[:150],
            ip_address=actor.ip_address,
            user_agent=(actor.user_agent or "")[:300],
            request_id=actor.request_id,
            action=kind,
            object_type=object_type[:100],
            object_id=str(object_id)[:64],
            object_repr=str(object_repr)[:200],
            before=None,
            after=json.loads(json.dumps(details, cls=DjangoJSONEncoder)) if details else None,
        )
    )


def log_export(what: str, *, rows: int, fmt: str, filters: dict[str, Any] | None = None):
    """Record that the current actor exported ``rows`` rows of ``what`` (a model label or
    a report's name) as ``fmt``; every export of data calls it."""
    return log_event(
        ChangeLog.Action.EXPORT,
        object_type=what,
        object_repr=f"{what} ({rows})",
        details={"rows": rows, "format": fmt, "filters": filters or {}},
    )


def log_access(
    model: type[models.Model], *, rows: int, filters: dict[str, Any], what: str = ""
) -> ChangeLog:
    """Records a bulk read or export of ``model`` rows: who, from where, how many, filters.

    Nothing was changed: the entry has ``action`` "read", no object id, and its ``after``
    says what was read (``rows``, ``filters``, ``what``: e.g. the API list or page).
    """
    actor = current_actor()
    meta = model._meta
    return append(
        ChangeLog(
            user_id=actor.user_id,
            username=actor.username,
            ip_address=actor.ip_address,
            user_agent=actor.user_agent,
            request_id=actor.request_id,
            action=ChangeLog.Action.READ,
            object_type=meta.label_lower,
            object_id="",
            object_repr=f"{rows} × {meta.verbose_name_plural}"[:200],
            after={"rows": rows, "filters": filters, "what": what, "source": actor.source},
        )
    )


def save_with_log(instance: models.Model, **save_kwargs: Any) -> models.Model:
    """Save a master-data row and record the difference it makes."""
    before = None
    if instance.pk is not None:
        previous = type(instance)._default_manager.filter(pk=instance.pk).first()
        before = snapshot(previous) if previous is not None else None
    instance.full_clean()
    instance.save(**save_kwargs)
    log_change(instance, ChangeLog.Action.UPDATE if before else ChangeLog.Action.CREATE, before)
    return instance


def delete_with_log(instance: models.Model) -> None:
    before = snapshot(instance)
    log_change(instance, ChangeLog.Action.DELETE, before=before, after=None)
    instance.delete()


def _logged(model: type[models.Model]) -> bool:
    return not model._meta.auto_created and model._meta.label_lower not in UNLOGGED_MODELS


def log_deletion(instances: Iterable[models.Model]) -> int:
    """Log the deletion of ``instances`` *and* of every row the delete will touch.

    Call it, then delete, in one transaction. Django's collector finds what the delete
    cascades to (a SKU's key components, a user's profile and token) and which
    references it clears (``SET_NULL``); each gets its own entry, so nothing an admin
    delete removes goes unrecorded. Returns the number of entries written.
    """
    instances = list(instances)
    if not instances:
        return 0
    collector = Collector(using=router.db_for_write(type(instances[0])))
    collector.collect(instances)

    def identity(obj: models.Model) -> tuple[type[models.Model], Any]:
        return obj._meta.concrete_model, getattr(obj, obj._meta.pk.attname)

    seen: set[tuple[type[models.Model], Any]] = set()
    written = 0

    def log_deleted(obj: models.Model) -> None:
        nonlocal written
        if identity(obj) in seen:
            return
        seen.add(identity(obj))
        log_change(obj, ChangeLog.Action.DELETE, before=snapshot(obj), after=None)
        written += 1

    for obj in instances:
        log_deleted(obj)
    for model, objs in collector.data.items():
        if _logged(model):
            for obj in objs:
                log_deleted(obj)
    for queryset in collector.fast_deletes:
        if _logged(queryset.model):
            for obj in queryset:
                log_deleted(obj)
    for (field, value), batches in collector.field_updates.items():
        if not _logged(field.model):  # e.g. the log's own user column: not even read
            continue
        for batch in batches:
            for obj in batch:
                if identity(obj) in seen:
                    continue
                before = {"id": obj.pk, field.name: getattr(obj, field.attname)}
                after = {"id": obj.pk, field.name: getattr(value, "pk", value)}
                log_change(obj, ChangeLog.Action.UPDATE, before, after)
                written += 1
    return written


def verify_changelog(*, counter=None) -> Break | None:
    """Walk the change-log chain; the first entry that does not match, or None.

    An edited entry fails its own hash; a deleted one leaves a gap in ``seq`` (and the
    next entry's hash fails); an inserted one has no valid hash (or no position); entries
    cut off the end leave the chain shorter than its head says.
    """
    rows = ChangeLog.objects.order_by("seq")
    unplaced = rows.filter(seq=None).order_by("id").values_list("id", flat=True).first()
    if unplaced is not None:
        return Break("change log", unplaced, "entry outside the chain (no position)")
    prev, expected_seq = GENESIS, 1
    for values in rows.values_list("id", "chain_hash", *CHANGELOG_FIELDS).iterator(5000):
        pk, stored, seq = values[0], values[1], values[2]
        if seq != expected_seq:
            return Break(
                "change log", pk, f"position {seq} follows {expected_seq - 1}: entries missing"
            )
        if stored != seal(prev, entry_payload(list(values[2:]))):
            return Break("change log", pk, f"position {seq}: hash does not match its content")
        prev, expected_seq = stored, expected_seq + 1
        if counter is not None:
            counter()
    head = ChainHead.objects.filter(stream=STREAM).first()
    last = expected_seq - 1
    if head is not None and (head.seq, head.last_hash) != (last, prev):
        return Break(
            "change log", None, f"the chain ends at position {last}, its head at {head.seq}"
        )
    return None
