"""The audit chains: every event and change-log entry sealed onto the one before it.

Tampering is done the way an intruder with a database login would: triggers lifted,
rows edited, deleted and inserted with raw SQL. ``verify_audit`` must name the first
entry that does not match.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tests import factories as f
from unitrace.core.audit import log_change, log_event, verify_changelog
from unitrace.core.chain import seal
from unitrace.core.models import ChangeLog
from unitrace.serials import ledger
from unitrace.serials.chain import EVENT_FIELDS, payload
from unitrace.serials.models import UnitEvent
from unitrace.serials.verify import verify_ledger

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def audit_key(settings):
    settings.UNITRACE_AUDIT_KEY = "test-audit-key"


def raw(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def lift_triggers() -> None:
    """What an intruder does first: the append-only triggers go (until the test ends)."""
    if connection.vendor == "postgresql":
        raw("SET CONSTRAINTS ALL IMMEDIATE")  # pending FK checks would block the ALTER
        raw("ALTER TABLE serials_unitevent DISABLE TRIGGER USER")
        raw("ALTER TABLE core_changelog DISABLE TRIGGER USER")
    else:
        for name in (
            "serials_unitevent_no_update",
            "serials_unitevent_no_delete",
            "core_changelog_no_update",
            "core_changelog_no_delete",
        ):
            raw(f"DROP TRIGGER IF EXISTS {name}")


@pytest.fixture
def history(sku, warehouse, customer):
    """Two units: one registered, received, moved and delivered; one only received."""
    first, second = f.units_in_stock(sku, ["CH0001", "CH0002"], warehouse)
    other = f.WarehouseFactory(code="WH-CH2")
    ledger.move(first, other)
    ledger.deliver(first, customer, ref_type="delivery", ref_id="D1")
    return first, second


def events_of(unit) -> list[int]:
    return list(UnitEvent.objects.filter(unit=unit).order_by("id").values_list("id", flat=True))


def test_every_write_path_seals_its_events(history):
    first, _second = history
    assert all(UnitEvent.objects.values_list("chain_hash", flat=True))
    assert verify_ledger() is None
    # each event is sealed onto the previous event of the same unit
    prev = ""
    for values in (
        UnitEvent.objects.filter(unit=first).order_by("id").values_list("chain_hash", *EVENT_FIELDS)
    ):
        assert values[0] == seal(prev, payload(values[1:]))
        prev = values[0]


def test_the_hash_depends_on_the_key(history, settings):
    settings.UNITRACE_AUDIT_KEY = "another key"
    problem = verify_ledger()
    assert problem is not None and problem.record_id == events_of(history[0])[0]


def test_an_edited_event_is_named(history):
    first, _second = history
    lift_triggers()
    edited = events_of(first)[2]
    raw("UPDATE serials_unitevent SET notes = 'nothing happened' WHERE id = %s", [edited])
    problem = verify_ledger()
    assert problem.record_id == edited
    assert "event 3 of unit CH0001" in problem.reason


def test_a_deleted_event_breaks_the_next_one(history):
    first, _second = history
    lift_triggers()
    ids = events_of(first)
    raw("DELETE FROM serials_unitevent WHERE id = %s", [ids[1]])
    assert verify_ledger().record_id == ids[2]


def test_an_inserted_event_is_named(history, warehouse):
    _first, second = history
    lift_triggers()
    template = UnitEvent.objects.filter(unit=second).order_by("-id").first()
    template.pk = None
    template.type = "adjusted"
    template.notes = "forged"
    template.chain_hash = "0" * 64
    template.save(force_insert=True)
    assert verify_ledger().record_id == template.pk


def test_an_event_cut_off_the_end_is_noticed(history):
    first, _second = history
    lift_triggers()
    raw("DELETE FROM serials_unitevent WHERE id = %s", [events_of(first)[-1]])
    problem = verify_ledger()
    assert problem.record_id is None
    assert "unit CH0001" in problem.reason and "has 3 events, it counted 4" in problem.reason


def test_verify_audit_command_reports_and_fails(history, capsys):
    call_command("verify_audit")
    assert "chain intact" in capsys.readouterr().out
    lift_triggers()
    edited = events_of(history[1])[0]
    raw("UPDATE serials_unitevent SET actor_name = 'someone else' WHERE id = %s", [edited])
    with pytest.raises(CommandError, match=f"#{edited}"):
        call_command("verify_audit")


# -- the change log ------------------------------------------------------------------


@pytest.fixture
def entries(sku, customer):
    log_change(sku, ChangeLog.Action.UPDATE, {"id": sku.pk, "name": "old"}, {"id": sku.pk})
    log_change(customer, ChangeLog.Action.CREATE)
    log_event(ChangeLog.Action.LOGIN_FAILED, username="mallory", details={"reason": "password"})
    log_event(ChangeLog.Action.EXPORT, object_type="catalog.sku", details={"rows": 3})
    return list(ChangeLog.objects.order_by("seq"))


def test_change_log_entries_are_chained_in_one_sequence(entries):
    assert [e.seq for e in entries][-4:] == list(range(entries[-4].seq, entries[-4].seq + 4))
    assert verify_changelog() is None


def test_change_log_is_append_only(entries):
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), transaction.atomic():
        raw("UPDATE core_changelog SET username = 'x' WHERE id = %s", [entries[0].pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        raw("DELETE FROM core_changelog WHERE id = %s", [entries[0].pk])


def test_an_edited_entry_is_named(entries):
    lift_triggers()
    raw("UPDATE core_changelog SET after = NULL WHERE id = %s", [entries[-2].pk])
    assert verify_changelog().record_id == entries[-2].pk


def test_a_deleted_entry_is_noticed_at_the_next(entries):
    lift_triggers()
    raw("DELETE FROM core_changelog WHERE id = %s", [entries[1].pk])
    problem = verify_changelog()
    assert problem.record_id == entries[2].pk and "missing" in problem.reason


def test_an_inserted_entry_is_named(entries):
    lift_triggers()
    raw(
        "INSERT INTO core_changelog (time, username, user_agent, request_id, action, "
        "object_type, object_id, object_repr, chain_hash) VALUES "
        "(%s, 'mallory', '', '', 'update', 'catalog.sku', '1', 'x', '')",
        [entries[0].time],
    )
    inserted = ChangeLog.objects.filter(seq=None).get()
    assert verify_changelog().record_id == inserted.pk


def test_entries_cut_off_the_end_are_noticed(entries):
    lift_triggers()
    raw("DELETE FROM core_changelog WHERE id = %s", [entries[-1].pk])
    problem = verify_changelog()
    assert problem.record_id is None and "head" in problem.reason


def test_log_event_refuses_unknown_kinds():
    with pytest.raises(ValueError, match="unknown audit event"):
        log_event("coffee")


def test_bulk_sealing_matches_the_single_path(history, warehouse):
    """``seal_many`` (record_many's shortcut) gives exactly ``seal_event``'s hashes."""
    from unitrace.serials.chain import seal_event, seal_many

    events = list(UnitEvent.objects.order_by("id"))
    events[0].details = {"b": 2, "a": "中文", "n": None}
    events[1].ip_address = "2001:DB8::1"
    prev = {e.unit_id: "f" * 64 for e in events}
    expected = [seal_event(prev[e.unit_id], e) for e in events]
    for e in events:
        e.chain_hash = ""
    seal_many(events, prev)
    assert [e.chain_hash for e in events] == expected
