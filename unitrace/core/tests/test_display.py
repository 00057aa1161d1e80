"""Dates in messages follow the reader's language; machine-read values stay ISO."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.utils import translation

from unitrace.core.display import shown_date, shown_moment

# 20:30 UTC on 15 January is already the 16th in Shanghai (TIME_ZONE)
LATE = datetime(2026, 1, 15, 20, 30, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("language", "day", "moment", "with_seconds"),
    [
        ("zh-hans", "2026-01-16", "2026-01-16 04:30", "2026-01-16 04:30:05"),
        ("en", "01/16/2026", "01/16/2026 04:30", "01/16/2026 04:30:05"),
    ],
)
def test_dates_follow_the_language_and_local_time(language, day, moment, with_seconds):
    with translation.override(language):
        assert shown_date(LATE) == day
        assert shown_date(date(2026, 1, 16)) == day
        assert shown_moment(LATE) == moment
        assert shown_moment(LATE, seconds=True) == with_seconds


def test_nothing_given_shows_the_placeholder():
    assert shown_date(None) == "—" and shown_moment(None, "?") == "?"


def _already(language: str) -> str:
    return {"en": "already activated on %(date)s", "zh-hans": "已于 %(date)s 激活"}[language]


@pytest.mark.django_db
def test_a_ledger_refusal_says_the_date_in_the_readers_form(settings):
    from tests import factories as f
    from unitrace.serials import ledger
    from unitrace.serials.ledger import LedgerError

    sku = f.SKUFactory()
    warehouse = f.WarehouseFactory()
    (unit,) = f.units_in_stock(sku, ["DISP1"], warehouse)
    ledger.deliver(unit, f.CustomerFactory())
    unit.refresh_from_db()
    ledger.activate(unit)
    unit.refresh_from_db()
    for language, form in (("en", "%m/%d/%Y"), ("zh-hans", "%Y-%m-%d")):
        with translation.override(language):
            with pytest.raises(LedgerError) as caught:
                ledger.activate(unit)
            local_day = shown_date(unit.activated_at)
        datetime.strptime(local_day, form)  # the short form of that language
        assert str(caught.value.message) == _already(language) % {"date": local_day}
