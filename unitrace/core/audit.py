"""Change logging for master data: one function every edit path calls."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, router
from django.db.models.deletion import Collector
from django.forms.models import model_to_dict

from unitrace.core.context import current_actor
from unitrace.core.models import ChangeLog

# Secrets never written to the log: an entry shows *that* they changed, not their value.
# Keys are model labels (the concrete model's), "*" applies to every model.
SECRET_FIELDS: dict[str, frozenset[str]] = {
    "*": frozenset({"password"}),
    "authtoken.token": frozenset({"key"}),
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
    return ChangeLog.objects.create(
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


def log_access(
    model: type[models.Model], *, rows: int, filters: dict[str, Any], what: str = ""
) -> ChangeLog:
    """Records a bulk read or export of ``model`` rows: who, from where, how many, filters.

    Nothing was changed: the entry has ``action`` "read", no object id, and its ``after``
    says what was read (``rows``, ``filters``, ``what``: e.g. the API list or page).
    """
    actor = current_actor()
    meta = model._meta
    return ChangeLog.objects.create(
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
