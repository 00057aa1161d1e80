"""Stocktakes and transfers are created and cancelled on the record (the change log)."""

import pytest

from unitrace.core.audit import verify_changelog
from unitrace.core.context import acting_as, actor_for_user
from unitrace.core.models import ChangeLog
from unitrace.inventory import stocktakes, transfers

pytestmark = pytest.mark.django_db


def entries_of(obj) -> list[ChangeLog]:
    label = obj._meta.label_lower
    return list(ChangeLog.objects.filter(object_type=label, object_id=str(obj.pk)).order_by("seq"))


def test_transfer_created_and_cancelled_are_logged(make_units, warehouse, regional, make_user):
    clerk = make_user("warehouse")
    make_units(["AU1", "AU2"])
    with acting_as(actor_for_user(clerk, ip="10.1.2.3", source="web")):
        transfer = transfers.create_transfer(warehouse, regional, user=clerk)
        transfers.cancel_transfer(transfer)
    created, cancelled = entries_of(transfer)
    assert created.action == ChangeLog.Action.CREATE
    assert created.after["status"] == "draft" and created.username == clerk.username
    assert cancelled.action == ChangeLog.Action.CANCEL
    assert (cancelled.before["status"], cancelled.after["status"]) == ("draft", "cancelled")
    assert cancelled.ip_address == "10.1.2.3"
    assert verify_changelog() is None


def test_stocktake_opened_and_cancelled_are_logged(make_units, warehouse, make_user):
    clerk = make_user("warehouse")
    make_units(["AU3"])
    with acting_as(actor_for_user(clerk, ip="10.1.2.4", source="web")):
        stocktake = stocktakes.open_stocktake(warehouse, user=clerk)
        stocktakes.cancel_stocktake(stocktake, user=clerk)
    opened, cancelled = entries_of(stocktake)
    assert opened.action == ChangeLog.Action.CREATE and "book_count" in opened.after
    assert cancelled.action == ChangeLog.Action.CANCEL
    assert cancelled.after["status"] == "cancelled"
    assert cancelled.username == clerk.username
