"""Resetting id sequences makes seeded ids independent of the tests that ran before."""

import pytest

from tests import factories as f
from unitrace.core.testing.sequences import reset_sequences
from unitrace.parties.models import Party

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db]


def test_ids_follow_the_rows_not_the_tests_before():
    for code in ("X1", "X2", "X3"):  # an earlier test drew ids and gave the rows back
        f.SupplierFactory(code=code).delete()
    assert f.SupplierFactory(code="X4").pk > 3
    Party.objects.all().delete()

    assert reset_sequences() > 0
    assert f.SupplierFactory(code="S1").pk == 1
    assert f.SupplierFactory(code="S2").pk == 2
