"""Generating serials by rule: sequences per scope, random mode, collisions, limits."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from tests import factories as f
from unitrace.codes.rendering import RANDOM_ALPHABET
from unitrace.serials.generation import GenerationError, generate_units
from unitrace.serials.importing import import_serial_list
from unitrace.serials.models import SerialCounter, Unit

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def test_sequence_continues_and_scopes_by_month(sku):
    nov = datetime(2026, 11, 2, 9, tzinfo=SH)
    first = generate_units(sku, 3, when=nov)
    second = generate_units(sku, 2, when=nov)
    assert first.first.startswith("AC2611000001") and second.first.startswith("AC2611000004")
    serials = list(Unit.objects.order_by("pk").values_list("serial", flat=True))
    assert len(set(serials)) == 5
    for serial in serials:
        sku.pattern.matches(serial)  # check character valid
    generate_units(sku, 1, when=datetime(2026, 10, 30, tzinfo=SH))
    assert Unit.objects.filter(serial__startswith="AC2610000001").exists()
    assert dict(SerialCounter.objects.values_list("scope", "last_value")) == {
        "AC2611": 5,
        "AC2610": 1,
    }


def test_batch_code_and_date_from_batch(db):
    sku = f.SKUFactory(code="BAT", name="电池", serial_pattern="{BATCH}-{SEQ:4}")
    batch = f.BatchFactory(sku=sku, code="L7", production_date=date(2026, 3, 1))
    generate_units(sku, 2, batch=batch)
    unit = Unit.objects.get(serial="L7-0001")
    assert (unit.batch_id, unit.production_date) == (batch.pk, date(2026, 3, 1))


def test_existing_serials_are_skipped(db):
    sku = f.SKUFactory(code="S", name="s", serial_pattern="S{SEQ:3}")
    import_serial_list(["S002"], default_sku=sku)
    result = generate_units(sku, 3)
    assert result.count == 3
    assert sorted(Unit.objects.values_list("serial", flat=True)) == ["S001", "S002", "S003", "S004"]


def test_random_mode_is_unguessable_alphabet(db):
    sku = f.SKUFactory(code="R", name="r", serial_pattern="{RAND:10}{CHECK}")
    generate_units(sku, 500)
    serials = list(Unit.objects.values_list("serial", flat=True))
    assert len(set(serials)) == 500
    assert all(set(s[:10]) <= set(RANDOM_ALPHABET) for s in serials)


def test_refusals(sku, db):
    plain = f.SKUFactory(code="P", name="p")
    with pytest.raises(GenerationError, match="has no serial rule"):
        generate_units(plain, 1)
    with pytest.raises(GenerationError, match="between 1 and"):
        generate_units(sku, 0)
    small = f.SKUFactory(code="SM", name="s", serial_pattern="X{SEQ:2}")
    generate_units(small, 98)
    with pytest.raises(GenerationError, match="room for 1 more"):
        generate_units(small, 5)
    other = f.BatchFactory(sku=small, code="Z")
    with pytest.raises(GenerationError, match="belongs to another SKU"):
        generate_units(sku, 1, batch=other)
    bulk = f.SKUFactory(code="NS", name="n", serialized=False, serial_pattern="N{SEQ:3}")
    with pytest.raises(GenerationError, match="not serialized"):
        generate_units(bulk, 1)
