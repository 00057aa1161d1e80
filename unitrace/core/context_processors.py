"""Navigation entries a user may see, by permission, grouped by area.

Each app lists its own pages in ``<app>/nav.py`` as ``ITEMS = [(url name, label,
permission), ...]`` and names that module on its AppConfig (``Plugin.nav``); the
registry in ``core.plugins`` merges them in the apps' order and ``core.navigation``
puts each into its group.
"""

from __future__ import annotations

from django.conf import settings

from unitrace.core.company import brand as company_brand
from unitrace.core.deploy_checks import public_url_problem
from unitrace.core.navigation import menu_for


def brand(request):
    """The company's brand for every page, and for administrators in production the
    warning that printed links would not work (``PUBLIC_BASE_URL``)."""
    user = getattr(request, "user", None)
    warning = ""
    if user is not None and user.is_authenticated and user.is_staff and not settings.DEBUG:
        warning = public_url_problem()
    return {"brand": company_brand(), "public_url_warning": warning}


def navigation(request) -> dict:
    """``nav``: the groups of the main navigation (empty for anonymous visitors)."""
    user = getattr(request, "user", None)
    return {"nav": menu_for(user, request.path)}
