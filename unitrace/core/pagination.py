"""The API's page: ``?limit=`` and ``?offset=`` with a hard cap.

* ``limit`` above the cap (``API_MAX_PAGE_SIZE``, default 1,000) is clamped to the cap;
  a ``limit`` that is no positive whole number gives the default page (``PAGE_SIZE``,
  never above the cap).
* ``offset`` that is no whole number, or negative, counts from the start; one beyond the
  last row gives an empty page.

Both are clamped rather than refused, so a client asking for "everything" gets the
largest page and a ``next`` link to walk the rest.
"""

from __future__ import annotations

from django.conf import settings
from rest_framework import pagination


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    @property
    def max_limit(self) -> int:
        return getattr(settings, "API_MAX_PAGE_SIZE", 1000)

    @property
    def default_limit(self) -> int:
        return min(settings.REST_FRAMEWORK.get("PAGE_SIZE") or self.max_limit, self.max_limit)

    def get_offset(self, request) -> int:
        offset = super().get_offset(request)
        # never beyond what a database can take; past the last row is an empty page anyway
        return min(offset, 2**62)
