"""Static files of the installed apps, less the one bundle that reaches for the internet.

drf-spectacular-sidecar ships ReDoc as well as Swagger UI. The API docs use Swagger
UI; ReDoc's bundle loads its logo from a CDN, so it is never collected or served.
"""

from __future__ import annotations

from django.contrib.staticfiles import finders

NOT_SERVED = ["redoc"]


class AppDirectoriesFinder(finders.AppDirectoriesFinder):
    def list(self, ignore_patterns):
        return super().list([*(ignore_patterns or []), *NOT_SERVED])

    def find_in_app(self, app, path):
        if any(part in NOT_SERVED for part in path.split("/")):
            return None
        return super().find_in_app(app, path)
