"""Navigation entries a user may see, by permission.

Each app lists its own pages in ``<app>/nav.py`` as ``ITEMS = [(url name, label,
permission), ...]``; this merges them in the order of ``NAV_MODULES``.
"""

from __future__ import annotations

from importlib import import_module

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

NAV = [
    ("serials:home", _("Scan"), "serials.view_unit"),
    ("serials:unit_list", _("Units"), "serials.view_unit"),
    ("serials:import", _("Import"), "serials.add_unit"),
    ("serials:generate", _("Generate"), "serials.add_unit"),
]
NAV_MODULES = [
    "unitrace.procurement.nav",
    "unitrace.inventory.nav",
    "unitrace.sales.nav",
    "unitrace.service.nav",
    "unitrace.authenticity.nav",
]
TAIL = [("core:job_list", _("Jobs"), "core.view_job")]


def nav_items() -> list[tuple[str, object, str]]:
    items = list(NAV)
    for module_name in NAV_MODULES:
        try:
            items.extend(import_module(module_name).ITEMS)
        except ModuleNotFoundError:
            continue
    return items + TAIL


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
    return {"nav": items, "role_label": _role_label(user)}


def _role_label(user) -> str:
    from unitrace.accounts.roles import ROLES

    names = [g.name for g in user.groups.all()]
    return ", ".join(str(ROLES[n][0]) for n in names if n in ROLES)
