"""Chromium through Playwright against pytest-django's live server.

Uses the system Chromium (Debian package ``chromium``); browsers are never downloaded.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# for their data are still plain synchronous calls.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = (
            f"{CHROMIUM} is missing: install the Debian package "
            "(apt-get install chromium) to run the browser tests"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    """``new_page(width, height)`` → a page in a fresh English-language context."""
    contexts = []

    def make(width: int = 1280, height: int = 900):
        context = browser.new_context(
            locale="en-US",
            viewport={"width": width, "height": height},
            extra_http_headers={"Accept-Language": "en"},
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def _ledger_triggers(enable: bool) -> None:
    """Drop (or restore) the SQLite triggers that keep unit events and the change log
    append-only.

    A transactional test ends with a flush, which on SQLite is a DELETE the ledger's
    trigger refuses (PostgreSQL truncates, which row triggers don't see).
    """
    from django.db import connection

    from unitrace.core import audit_triggers

    if connection.vendor != "sqlite":
        return
    migration = importlib.import_module("unitrace.serials.migrations.0002_append_only_events")
    with connection.cursor() as cursor:
        for statement in migration.SQLITE_DOWN + audit_triggers.SQLITE_DOWN:
            cursor.execute(statement)
        if enable:
            for statement in migration.SQLITE_UP + audit_triggers.SQLITE_UP:
                cursor.execute(statement)


@pytest.fixture(scope="module")
def _ledger_triggers_restored(django_db_setup, django_db_blocker):
    yield
    with django_db_blocker.unblock():
        _ledger_triggers(enable=True)


@pytest.fixture
def live_db(_ledger_triggers_restored, transactional_db):
    """``transactional_db`` for the live server, flushable on SQLite after the test."""
    _ledger_triggers(enable=True)
    yield
    _ledger_triggers(enable=False)
