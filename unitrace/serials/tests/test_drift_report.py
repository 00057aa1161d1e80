"""rebuild_units' report names fields and values as people read them, in their language."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from tests import factories as f
from unitrace.serials.models import Unit
from unitrace.serials.statuses import Status

pytestmark = pytest.mark.django_db


def report(language: str) -> str:
    out = StringIO()
    with translation.override(language), pytest.raises(SystemExit):
        call_command("rebuild_units", stdout=out)
    return out.getvalue()


@pytest.fixture
def drifted(sku, warehouse):
    unit = f.UnitFactory(sku=sku, serial="AC0001", history=[f.received(warehouse)])
    Unit.objects.filter(pk=unit.pk).update(status=Status.ACTIVATED, warehouse=None)
    return unit  # as the events leave it: in stock in ``warehouse``


def test_status_drift_shows_labels_not_enum_reprs(drifted):
    text = report("zh-hans")

    line = next(row for row in text.splitlines() if "［status］" in row)
    assert "Status." not in text and "<" not in line
    assert "存储值 已激活 (activated)，推导值 在库 (in_stock)" in line
    assert f"{drifted.serial}（#{drifted.pk}）状态" in line


def test_drift_report_in_english(drifted):
    text = report("en")

    assert "status [status]: stored activated (activated), derived in stock (in_stock)" in text
    assert f"warehouse [warehouse_id]: stored —, derived #{drifted.warehouse_id}" in text
