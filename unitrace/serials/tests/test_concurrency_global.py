"""Global serial uniqueness under real parallelism on PostgreSQL (no constraint helps)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction
from django.test import override_settings

from tests import factories as f
from unitrace.catalog.models import SKU
from unitrace.serials.importing import ImportRefused, import_serial_list
from unitrace.serials.models import Unit
from unitrace.serials.registration import NewUnit, register_units
from unitrace.serials.tests.test_concurrency import race

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def six_skus(sku) -> list[SKU]:
    others = [f.SKUFactory(code=f"G-{i}", name=f"g{i}") for i in range(5)]
    return [sku, *others]


def test_same_serial_under_different_skus_in_parallel_exactly_one_wins(six_skus) -> None:
    with override_settings(UNITRACE_SERIAL_GLOBAL_UNIQUE=True):
        results, errors = race(6, lambda i: import_serial_list(["ANY-1"], default_sku=six_skus[i]))
    assert len(results) == 1 and results[0].created == 1
    assert len(errors) == 5 and all(isinstance(e, ImportRefused) for e in errors)
    assert all("already registered" in e.result.errors[0].message for e in errors)
    assert Unit.objects.filter(serial="ANY-1").count() == 1


def test_second_registration_waits_for_the_first_and_then_sees_it(six_skus) -> None:
    """Deterministic: B validates while A's insert is uncommitted, then must wait for A."""
    first_sku, other = six_skus[0], six_skus[1]
    inserted, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def writer_a() -> None:
        try:
            with transaction.atomic():
                register_units(first_sku, [NewUnit("WAIT-1")])
                inserted.set()
                release.wait(30)
        finally:
            connection.close()

    def writer_b() -> None:
        try:
            outcome["b"] = import_serial_list(["WAIT-1"], default_sku=other)
        except Exception as exc:  # asserted on below
            outcome["b"] = exc
        finally:
            connection.close()

    with override_settings(UNITRACE_SERIAL_GLOBAL_UNIQUE=True):
        a = threading.Thread(target=writer_a)
        a.start()
        assert inserted.wait(30)
        b = threading.Thread(target=writer_b)
        b.start()
        b.join(1.5)
        assert b.is_alive(), "B must wait for A's table lock, not register beside it"
        release.set()
        a.join(30)
        b.join(30)
    assert isinstance(outcome["b"], ImportRefused)
    assert "already registered (SKU AC-100)" in outcome["b"].result.errors[0].message
    assert list(Unit.objects.filter(serial="WAIT-1").values_list("sku__code", flat=True)) == [
        "AC-100"
    ]
