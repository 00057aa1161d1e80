"""Moving a model from one app to another without touching its table or its history.

The move itself is a state-only migration (``SeparateDatabaseAndState``); what still
names the old app in the data is the model's ``django_content_type`` row (which its
permissions, the groups holding them and the admin log point at) and the ``object_type``
of its change-log entries. ``move_content_types`` renames both in place, so grants and
history follow the model. Used from migrations only, with the historical ``apps``. The
change log is append-only and hash-chained: the relabel lifts its trigger for the one
statement and re-seals the chain (``core.audit_triggers``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from unitrace.core import audit_triggers


def move_content_types(
    apps, schema_editor, old_app: str, new_app: str, models: Sequence[str]
) -> None:
    """Relabel the content types (and change-log entries) of ``models`` to ``new_app``.

    A content type already created under the new label during this same migrate run
    (a role seed between the state move and this step) holds nothing worth keeping:
    it is dropped so the old row, with its permissions and grants, can take its name.
    """
    content_type = apps.get_model("contenttypes", "ContentType")
    change_log = apps.get_model("core", "ChangeLog")
    db = schema_editor.connection.alias
    for model in models:
        old = content_type.objects.using(db).filter(app_label=old_app, model=model).first()
        if old is not None:
            content_type.objects.using(db).filter(app_label=new_app, model=model).delete()
            old.app_label = new_app
            old.save(update_fields=["app_label"])
        entries = change_log.objects.using(db).filter(object_type=f"{old_app}.{model}")
        if entries.exists():
            with audit_triggers.lifted(schema_editor):
                entries.update(object_type=f"{new_app}.{model}")
                if hasattr(change_log, "chain_hash"):  # not before core.0002
                    audit_triggers.reseal(change_log, schema_editor)
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


def content_type_move(
    old_app: str, new_app: str, models: Sequence[str]
) -> tuple[Callable, Callable]:
    """The forward and backward functions of a ``RunPython`` moving ``models``."""

    def forward(apps, schema_editor) -> None:
        move_content_types(apps, schema_editor, old_app, new_app, models)

    def backward(apps, schema_editor) -> None:
        move_content_types(apps, schema_editor, new_app, old_app, models)

    return forward, backward
