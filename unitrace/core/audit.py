"""Change logging for master data: one function every edit path calls."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.forms.models import model_to_dict

from unitrace.core.context import current_actor
from unitrace.core.models import ChangeLog


def snapshot(instance: models.Model) -> dict[str, Any]:
    """A JSON-safe picture of a row, for before/after comparison."""
    data = model_to_dict(instance)
    data["id"] = instance.pk
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
    return ChangeLog.objects.create(
        user_id=actor.user_id,
        username=actor.username,
        ip_address=actor.ip_address,
        user_agent=actor.user_agent,
        request_id=actor.request_id,
        action=action,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        before=before,
        after=after,
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
