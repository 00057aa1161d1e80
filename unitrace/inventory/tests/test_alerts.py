"""Minimum-stock alerts are raised without anyone running the check by hand: right after
a stock change commits, and periodically by Celery beat."""

import pytest
from django.conf import settings
from django.db import transaction

from unitrace.inventory import alerts, parts
from unitrace.inventory.alerts import check_min_stock
from unitrace.inventory.models import MinStock, StockAlert

pytestmark = pytest.mark.django_db


def open_alerts():
    return StockAlert.objects.filter(resolved_at__isnull=True)


@pytest.fixture
def seals(part, warehouse):
    """6 seals in HQ, which should hold at least 5."""
    parts.receive_parts(warehouse, part, 6, lot="L1")
    MinStock.objects.create(warehouse=warehouse, sku=part, minimum=5)
    return part


def test_an_issue_below_the_minimum_raises_the_alert_when_it_commits(
    seals, warehouse, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        parts.issue_parts(warehouse, seals, 3, reference="WO-1")
    assert not open_alerts().exists()  # not before the commit
    for callback in callbacks:
        callback()
    alert = open_alerts().get()
    assert (alert.warehouse, alert.sku, alert.minimum, alert.quantity) == (
        warehouse,
        seals,
        5,
        3,
    )


def test_a_rolled_back_issue_raises_nothing(seals, warehouse, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        parts.issue_parts(warehouse, seals, 3)
        raise RuntimeError("the work order failed")
    assert not open_alerts().exists()


def test_receiving_resolves_the_alert_at_once(seals, warehouse, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        parts.issue_parts(warehouse, seals, 3)
    assert open_alerts().count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        parts.receive_parts(warehouse, seals, 10, lot="L2")
    assert not open_alerts().exists()
    assert StockAlert.objects.get().resolved_at is not None


def test_transfers_and_corrections_check_both_ends(
    seals, warehouse, van, django_capture_on_commit_callbacks
):
    MinStock.objects.create(warehouse=van, sku=seals, minimum=2)
    with django_capture_on_commit_callbacks(execute=True):
        parts.transfer_parts(warehouse, van, seals, 1)  # HQ 5 (ok), van 1 (low)
    assert list(open_alerts().values_list("warehouse__code", flat=True)) == ["VAN-7"]
    with django_capture_on_commit_callbacks(execute=True):
        parts.adjust_parts(warehouse, seals, -1, lot="L1", reason="damaged")  # HQ 4
    assert sorted(open_alerts().values_list("warehouse__code", flat=True)) == ["HQ", "VAN-7"]


def test_the_check_after_a_change_touches_only_that_part(
    seals, warehouse, regional, django_capture_on_commit_callbacks
):
    MinStock.objects.create(warehouse=regional, sku=seals, minimum=1)  # low, not yet checked
    with django_capture_on_commit_callbacks(execute=True):
        parts.issue_parts(warehouse, seals, 3)
    assert list(open_alerts().values_list("warehouse__code", flat=True)) == ["HQ"]
    assert check_min_stock()["raised"] == 1  # the full run finds the other one


def test_a_failing_check_never_fails_the_issue(
    seals, warehouse, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    def broken(**scope):
        raise RuntimeError("database went away")

    monkeypatch.setattr(alerts, "check_min_stock", broken)
    with django_capture_on_commit_callbacks(execute=True):
        moves = parts.issue_parts(warehouse, seals, 3)
    assert [m.quantity for m in moves] == [-3]
    assert "minimum-stock check" in caplog.text


def test_celery_beat_runs_the_minimum_stock_check():
    from unitrace.celery import app

    entries = [
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "unitrace.inventory.check_min_stock"
    ]
    assert len(entries) == 1
    assert 0 < float(entries[0]["schedule"]) <= 24 * 3600
    assert app.conf.beat_schedule == settings.CELERY_BEAT_SCHEDULE
    app.loader.import_default_modules()
    assert "unitrace.inventory.check_min_stock" in app.tasks
