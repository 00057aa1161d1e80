"""Navigation entries a user may see, by permission.

Each app lists its own pages in ``<app>/nav.py`` as ``ITEMS = [(url name, label,
permission), ...]`` and names that module on its AppConfig (``Plugin.nav``); the
registry in ``core.plugins`` merges them in the apps' order.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from unitrace.core.company import brand as company_brand
from unitrace.core.deploy_checks import public_url_problem
from unitrace.core.plugins import nav_items


def brand(request):
    """The company's brand for every page, and for administrators in production the
    warning that printed links would not work (``PUBLIC_BASE_URL``)."""
    user = getattr(request, "user", None)
    warning = ""
    if user is not None and user.is_authenticated and user.is_staff and not settings.DEBUG:
        warning = public_url_problem()
    return {"brand": company_brand(), "public_url_warning": warning}


def navigation(request):
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {"nav": []}
    items = []
    for name, label, perm in nav_items():
        if not user.has_perm(perm):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": label, "active": False})
    # the longest matching prefix wins, so /units/import/ lights "Import", not "Units"
    matches = [
        i
        for i in items
        if request.path == i["url"] or (i["url"] != "/" and request.path.startswith(i["url"]))
    ]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    return {"nav": items}
