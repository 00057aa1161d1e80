"""Real parallelism on PostgreSQL: one activation wins, one alert per sighting."""

import pytest

from unitrace.authenticity import codes
from unitrace.authenticity.activation import ActivationRefused, activate_unit
from unitrace.authenticity.diversion import check_diversion
from unitrace.authenticity.models import DiversionAlert, Verification
from unitrace.authenticity.verification import Credentials, verify
from unitrace.core.testing.threads import race
from unitrace.parties.models import Party
from unitrace.parties.regions import Region
from unitrace.serials.models import Unit

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_parallel_activations_exactly_one_wins(distributor_unit):
    def work(index: int):
        return activate_unit(
            Unit.objects.get(pk=distributor_unit.pk),
            phone=f"1390000{index:04d}",
            province="浙江省",
            city="杭州市",
        )

    results, errors = race(5, work)
    assert len(results) == 1
    assert len(errors) == 4 and all(isinstance(e, ActivationRefused) for e in errors)
    assert all(e.code == "already_activated" for e in errors)
    unit = Unit.objects.get(pk=distributor_unit.pk)
    assert unit.events.filter(type="activated").count() == 1
    assert unit.events.filter(type="sold_through").count() == 1
    assert Party.objects.filter(kind="customer", phone__startswith="1390000").count() == 1


def test_parallel_sightings_make_one_alert(distributor_unit):
    region = Region("广东省", "深圳市")
    results, errors = race(6, lambda i: check_diversion(distributor_unit, region, "service").pk)
    assert errors == []
    assert len(set(results)) == 1
    assert DiversionAlert.objects.get().occurrences == 6


def test_parallel_checks_are_all_recorded(distributor_unit):
    credentials = Credentials(
        serial=distributor_unit.serial, code=codes.verification_code(distributor_unit)
    )
    results, errors = race(8, lambda i: verify(credentials).public()["result"])
    assert errors == [] and results == ["genuine"] * 8
    assert Verification.objects.filter(unit=distributor_unit).count() == 8


def test_parallel_requests_share_one_budget_exactly(settings):
    """Threads stand in for gunicorn workers: each its own connection, one counter."""
    from unitrace.authenticity import ratelimit
    from unitrace.authenticity.models import RateCounter

    settings.AUTHENTICITY_RATE_LIMIT = 5
    settings.AUTHENTICITY_RATE_WINDOW = 3600  # no window boundary during the race
    results, errors = race(12, lambda i: ratelimit.take("verify", "198.51.100.1").allowed)
    assert errors == []
    assert sorted(results) == [False] * 7 + [True] * 5
    assert RateCounter.objects.get().count == 12


def test_parallel_service_events_make_one_alert(distributor_unit):
    from unitrace.authenticity.diversion import record_event
    from unitrace.serials.ledger import EventData

    event = EventData("serviced", region="广东省深圳市")
    _results, errors = race(4, lambda i: record_event(distributor_unit.pk, event))
    assert errors == []
    assert DiversionAlert.objects.get().occurrences == 4
