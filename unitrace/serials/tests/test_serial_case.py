"""Two serials that differ only in letter case are one serial (scanning reads them as
one): refused by registration — a file, a pasted list, one unit — and by the database."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction

from tests import factories as f
from unitrace.serials.importing import ImportRefused, import_file, import_serial_list
from unitrace.serials.models import Unit
from unitrace.serials.registration import NewUnit, register_units, registered_serials

pytestmark = pytest.mark.django_db
EDITOR = SimpleNamespace(connection=connection)  # what the migration's function reads


def refused_rows(call, *args, **kwargs):
    with pytest.raises(ImportRefused) as info:
        call(*args, **kwargs)
    return [(e.row, e.code, e.value) for e in info.value.result.errors]


def test_registered_serials_matches_any_case(sku):
    Unit.objects.create(sku=sku, serial="PB000002W")
    assert registered_serials(["pb000002w", "PB000003W"], sku.pk) == {"pb000002w": sku.code}
    assert registered_serials(["Pb000002W"], None) == {"Pb000002W": sku.code}
    other = f.SKUFactory(code="AC-200", name="另一型号")
    assert registered_serials(["pb000002w"], other.pk) == {}


def test_import_refuses_a_case_variant_of_a_registered_serial(sku):
    Unit.objects.create(sku=sku, serial="PB000002W")
    data = b"sku,serial\nAC-100,pb000002w\nAC-100,PB000009W\n"
    rows = refused_rows(import_file, data, "units.csv")
    assert rows == [(2, "already_registered", "pb000002w")]
    assert Unit.objects.filter(sku=sku).count() == 1


def test_import_refuses_case_variants_within_one_file(sku):
    data = b"sku,serial\nAC-100,PB000002W\nAC-100,pb000002w\n"
    assert refused_rows(import_file, data, "units.csv") == [(3, "duplicate", "pb000002w")]


def test_pasted_list_refuses_a_case_variant(sku):
    Unit.objects.create(sku=sku, serial="PB000002W")
    rows = refused_rows(import_serial_list, ["pb000002w"], default_sku=sku)
    assert rows == [(1, "already_registered", "pb000002w")]


def test_the_same_serial_under_another_sku_is_still_fine(sku):
    Unit.objects.create(sku=sku, serial="PB000002W")
    other = f.SKUFactory(code="AC-200", name="另一型号")
    result = import_serial_list(["pb000002w"], default_sku=other)
    assert result.created == 1


def test_the_database_refuses_a_case_variant(sku):
    Unit.objects.create(sku=sku, serial="PB000002W")
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(sku=sku, serial="pb000002w")


def test_bulk_registration_cannot_slip_one_past(sku):
    """The last guard: register_units without the prior check (COPY on PostgreSQL)."""
    Unit.objects.create(sku=sku, serial="PB000002W")
    with pytest.raises(IntegrityError), transaction.atomic():
        register_units(sku, [NewUnit("PB000001W"), NewUnit("pb000002w")])
    assert not Unit.objects.filter(serial="PB000001W").exists()


def test_migration_lists_existing_case_duplicates(sku):
    migration = importlib.import_module("unitrace.serials.migrations.0008_serial_unique_any_case")
    Unit.objects.create(sku=sku, serial="PB000002W")
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX unit_serial_unique_per_sku_ci")
    twin = Unit.objects.create(sku=sku, serial="pb000002w")
    with pytest.raises(RuntimeError) as info:
        migration.refuse_case_duplicates(apps, EDITOR)
    message = str(info.value)
    assert "SKU AC-100" in message and f"#{twin.pk} pb000002w" in message
    assert "PB000002W" in message


def test_migration_passes_clean_data(sku):
    migration = importlib.import_module("unitrace.serials.migrations.0008_serial_unique_any_case")
    Unit.objects.create(sku=sku, serial="PB000002W")
    Unit.objects.create(sku=f.SKUFactory(code="AC-200", name="另一型号"), serial="pb000002w")
    migration.refuse_case_duplicates(apps, EDITOR)
