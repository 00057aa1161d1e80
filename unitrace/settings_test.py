"""Test settings: the one place tests differ from the real thing.

``TEST_DATABASE_URL`` selects the database (SQLite in memory by default; the test
command runs the suite again on PostgreSQL when one is reachable).
"""

import os

# Never the developer's real DATABASE_URL: tests get TEST_DATABASE_URL or SQLite in memory.
os.environ["DATABASE_URL"] = os.environ.get("TEST_DATABASE_URL") or "sqlite://:memory:"

from unitrace.settings import *  # noqa: F403
from unitrace.settings import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
UNITRACE_JOBS_INLINE = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "exports": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "attachments": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {}
# Tests serve static files from the apps' folders; no collectstatic needed.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Tests assert the English source messages; the zh-Hans default is tested explicitly
# (core/tests/test_i18n.py overrides LANGUAGE_CODE back to zh-hans).
LANGUAGE_CODE = "en"
# Text messages (phone codes) are kept in ``unitrace.core.notify.outbox``.
UNITRACE_TEXT_SENDER = "unitrace.core.notify.MemorySender"
