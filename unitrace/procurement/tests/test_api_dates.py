"""Date filters of the procurement API: an impossible day is a clear 400, not a crash."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_impossible_day_is_a_400(api) -> None:
    answer = api("procurement").get("/api/v1/suppliers/quality/", {"from": "2026-02-30"})
    assert answer.status_code == 400
    assert "2026-02-30" in str(answer.json())
