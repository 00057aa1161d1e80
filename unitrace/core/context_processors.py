"""Navigation entries a user may see, by permission, grouped by area.

Each app lists its own pages in ``<app>/nav.py`` as ``ITEMS = [(url name, label,
permission), ...]`` and names that module on its AppConfig (``Plugin.nav``); the
registry in ``core.plugins`` merges them in the apps' order and ``core.navigation``
puts each into its group.
"""

from __future__ import annotations

from unitrace.core.navigation import menu_for


def navigation(request) -> dict:
    """``nav``: the groups of the main navigation (empty for anonymous visitors)."""
    user = getattr(request, "user", None)
    return {"nav": menu_for(user, request.path)}
