"""The list's common filters can be answered from an index on PostgreSQL (no full scan
of a million work orders): state + opened, region prefix, partner + state, flagged.

A small test table would be scanned anyway, so sequential scans are switched off: a
filter no index can serve still shows a ``Seq Scan`` then, one that an index serves
does not.
"""

from __future__ import annotations

import pytest
from django.db import connection

from unitrace.service.filters import filtered_work_orders

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db]


@pytest.fixture
def supervisor(make_user):
    return make_user("supervisor", "sup-idx")


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(
    "params",
    [
        {"state": "new"},
        {"state": "open"},
        {"region": "33"},
        {"region": "3301", "state": "new"},
        {"flagged": "yes"},
        {"q": "WO-20261208-000001"},
        {"q": "13812341234"},
        {"q": "1234"},
    ],
)
def test_common_filters_use_an_index(supervisor, params):
    queryset, form = filtered_work_orders(supervisor, params)
    assert not form.errors
    plan = _plan(queryset.values("id"))
    assert "Seq Scan on service_workorder" not in plan, plan


def test_partner_and_state_use_an_index(supervisor):
    from tests import factories as f
    from unitrace.parties.models import Party

    partner = f.PartyFactory(kind=Party.Kind.SERVICE_PARTNER, code="SPX")
    queryset, form = filtered_work_orders(supervisor, {"partner": "SPX", "state": "new"})
    assert not form.errors and partner.pk
    assert "Seq Scan on service_workorder" not in _plan(queryset.values("id"))
