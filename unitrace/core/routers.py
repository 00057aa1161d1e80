"""The API's router: a record's id in a URL is a number.

DRF's routers take any text as the ``{pk}`` of a detail route, so ``/units/abc/`` reached
the database as ``pk="abc"`` and failed with ``ValueError``. Every app registers its
viewsets here; ids match Django's ``int`` path converter (as the pages' ``<int:pk>``)
unless a viewset names its own ``lookup_value_converter``, so anything else is a plain
404 in the error body, and the schema types the id as an integer.
"""

from __future__ import annotations

from rest_framework import routers


class Router(routers.SimpleRouter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, use_regex_path=False, **kwargs)
        self._default_value_pattern = "int"
