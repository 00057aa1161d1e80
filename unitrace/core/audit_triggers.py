"""The change log is append-only in the database itself, like the unit ledger.

On PostgreSQL a trigger refuses UPDATE and DELETE on ``core_changelog``; on SQLite two
triggers do. Installed by ``core.0002_audit_chain``. The rare migration that must
rewrite entries (a model moving between apps relabels its history) lifts the trigger
for its statement with :func:`lifted` and re-seals the chain with :func:`reseal`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from unitrace.core.chain import seal

TABLE = "core_changelog"
PG_UP = f"""
CREATE OR REPLACE FUNCTION core_changelog_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'change-log entries are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_changelog_no_update BEFORE UPDATE OR DELETE ON {TABLE}
  FOR EACH ROW EXECUTE FUNCTION core_changelog_append_only();
"""
PG_DOWN = f"""
DROP TRIGGER IF EXISTS core_changelog_no_update ON {TABLE};
DROP FUNCTION IF EXISTS core_changelog_append_only();
"""
SQLITE_UP = [
    f"""CREATE TRIGGER core_changelog_no_update BEFORE UPDATE ON {TABLE}
       BEGIN SELECT RAISE(ABORT, 'change-log entries are append-only'); END;""",
    f"""CREATE TRIGGER core_changelog_no_delete BEFORE DELETE ON {TABLE}
       BEGIN SELECT RAISE(ABORT, 'change-log entries are append-only'); END;""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS core_changelog_no_update;",
    "DROP TRIGGER IF EXISTS core_changelog_no_delete;",
]


def _run(schema_editor, statements: list[str]) -> None:
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, [PG_UP])
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_DOWN + SQLITE_UP)


def uninstall(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, [PG_DOWN])
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_DOWN)


def installed(connection) -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT 1 FROM pg_trigger WHERE tgname = 'core_changelog_no_update'")
        else:
            cursor.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'trigger' "
                "AND name = 'core_changelog_no_update'"
            )
        return cursor.fetchone() is not None


@contextlib.contextmanager
def lifted(schema_editor) -> Iterator[None]:
    """Run the enclosed statements with the append-only trigger lifted (migrations only)."""
    present = installed(schema_editor.connection)
    if present:
        if schema_editor.connection.vendor == "postgresql":
            # deferred FK checks still pending in this transaction would block the DROP
            _run(schema_editor, ["SET CONSTRAINTS ALL IMMEDIATE"])
        uninstall(schema_editor)
    try:
        yield
    finally:
        if present:
            install(schema_editor)
            if schema_editor.connection.vendor == "postgresql":
                _run(schema_editor, ["SET CONSTRAINTS ALL DEFERRED"])


def reseal(change_log, schema_editor) -> int:
    """Number entries that have no position yet and recompute the chain (migrations only).

    ``change_log`` is the (historical) model. Run with the trigger lifted. Returns the
    number of rows rewritten.
    """
    from unitrace.core.audit import CHANGELOG_FIELDS, STREAM, entry_payload

    db = schema_editor.connection.alias
    rows = change_log.objects.using(db)
    last = rows.exclude(seq=None).order_by("-seq").values_list("seq", flat=True).first() or 0
    for seq, pk in enumerate(
        rows.filter(seq=None).order_by("id").values_list("pk", flat=True), start=last + 1
    ):
        rows.filter(pk=pk).update(seq=seq)
    prev, seq, rewritten = "", 0, 0
    for values in rows.order_by("seq").values_list("pk", "chain_hash", *CHANGELOG_FIELDS):
        pk, stored, seq = values[0], values[1], values[2]
        expected = seal(prev, entry_payload(list(values[2:])))
        if stored != expected:
            rows.filter(pk=pk).update(chain_hash=expected)
            rewritten += 1
        prev = expected
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_chainhead (stream, seq, last_hash) VALUES (%s, %s, %s) "
            "ON CONFLICT (stream) DO UPDATE SET seq = excluded.seq, last_hash = excluded.last_hash",
            [STREAM, seq, prev],
        )
    return rewritten
