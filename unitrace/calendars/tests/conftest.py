"""The default calendars, as the data migration creates them.

A transactional test elsewhere in the run flushes the tables, migration data included;
the fixture runs the migration's own (idempotent) function again so these tests see
the calendars every migrated database starts with.
"""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps


@pytest.fixture
def default_calendars(db):
    import_module("unitrace.calendars.migrations.0002_default_calendars").create(apps, None)
