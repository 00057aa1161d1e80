"""Existing stocktakes move their unexpected units out of "counted" (migration 0005)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests import factories as f

BEFORE = [("inventory", "0004_places_leave_state")]
AFTER = [("inventory", "0005_stocktake_unexpected_count")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_counted_keeps_the_books_units_and_strangers_get_their_figure():
    warehouse = f.WarehouseFactory()
    old = migrate(BEFORE)
    try:
        Stocktake = old.get_model("inventory", "Stocktake")
        Line = old.get_model("inventory", "StocktakeLine")
        count = Stocktake.objects.create(
            number="ST-OLD", warehouse_id=warehouse.pk, book_count=3, counted_count=4
        )
        now = timezone.now()
        for unit_id, in_book, counted in [(1, True, now), (2, True, now), (3, True, None)]:
            Line.objects.create(
                stocktake=count, unit_id=unit_id, in_book=in_book, counted_at=counted
            )
        Line.objects.create(stocktake=count, unit_id=4, in_book=False, counted_at=now)
        Line.objects.create(stocktake=count, unit_id=5, in_book=False, counted_at=now)
        untouched = Stocktake.objects.create(
            number="ST-CLEAN",
            warehouse_id=warehouse.pk,
            book_count=1,
            counted_count=1,
            status="closed",
        )
        new = migrate(AFTER)
        after = new.get_model("inventory", "Stocktake")
        assert after.objects.filter(pk=count.pk).values_list(
            "counted_count", "unexpected_count"
        ).get() == (2, 2)
        assert after.objects.filter(pk=untouched.pk).values_list(
            "counted_count", "unexpected_count"
        ).get() == (1, 0)
        back = migrate(BEFORE).get_model("inventory", "Stocktake")
        assert back.objects.get(pk=count.pk).counted_count == 4  # reversible
    finally:
        executor = MigrationExecutor(connection)
        migrate(executor.loader.graph.leaf_nodes())
