"""Master-data rules the model enforces, whichever path (API, admin, import) writes."""

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from unitrace.catalog.models import SKU, Batch, ComponentSpec

pytestmark = pytest.mark.django_db


def errors_of(instance) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        instance.full_clean()
    return refused.value.message_dict


def test_non_serialized_sku_cannot_be_a_key_component(sku):
    screw = SKU.objects.create(code="SCREW", name="螺丝", serialized=False)
    errors = errors_of(ComponentSpec(parent=sku, component=screw))
    assert errors == {
        "component": [
            "SCREW is not serialized: only serialized SKUs can be key components "
            "(parts counted by quantity are not traced per unit)."
        ]
    }
    board = SKU.objects.create(code="PCB-1", name="主板")
    ComponentSpec(parent=sku, component=board).full_clean()


def test_key_component_cannot_be_made_non_serialized(component_skus):
    board, _chip = component_skus
    board.serialized = False
    assert errors_of(board) == {
        "serialized": [
            "PCB-1 is a key component of other models and must stay serialized; "
            "remove it from their key components first."
        ]
    }
    loose = SKU.objects.create(code="SEAL", name="密封圈")
    loose.serialized = False
    loose.full_clean()


@pytest.fixture
def shanghai_just_after_midnight(monkeypatch):
    """18:30 UTC on 1 December is 02:30 on 2 December in Asia/Shanghai."""
    moment = datetime(2026, 12, 1, 18, 30, tzinfo=UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


def test_production_date_may_be_today_in_shanghai_but_not_later(sku, shanghai_just_after_midnight):
    assert shanghai_just_after_midnight.date() == date(2026, 12, 1)  # UTC is a day behind
    Batch(sku=sku, code="TODAY", production_date=date(2026, 12, 2)).full_clean()
    errors = errors_of(Batch(sku=sku, code="TOMORROW", production_date=date(2026, 12, 3)))
    assert errors == {
        "production_date": [
            "The production date 12/03/2026 is in the future (today is 12/02/2026)."
        ]
    }


def test_production_date_uses_the_business_time_zone_not_the_request_one(
    sku, shanghai_just_after_midnight
):
    with timezone.override("UTC"):  # a request running in another time zone
        Batch(sku=sku, code="TODAY", production_date=date(2026, 12, 2)).full_clean()


def test_unparseable_or_missing_production_date_is_left_to_the_field(sku):
    assert "production_date" in errors_of(Batch(sku=sku, code="X", production_date="2026-13-01"))
    Batch(sku=sku, code="Y", production_date=None).full_clean()
