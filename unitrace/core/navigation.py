"""The main navigation grouped by area, so it fits any screen and every page stays reachable.

Apps keep listing their pages in ``<app>/nav.py`` as ``ITEMS = [(url name, label,
permission), ...]``; this module only decides where each entry is shown. An entry goes
into the group named for its URL name in ``ITEM_GROUP``, else into its app's group
(``APP_GROUP``), else into a group of its own app named by the app's ``verbose_name`` —
so an app added tomorrow shows up without anyone editing this file. Groups keep the
order of ``GROUPS`` (unknown apps' groups come before "System"); entries keep the apps'
order.

A group the user sees a single entry of is shown as that entry's link, not a menu of one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from unitrace.core.plugins import nav_owners

GROUPS: list[tuple[str, Any]] = [
    ("units", _("Units")),
    ("purchasing", _("Purchasing")),
    ("stock", _("Stock")),
    ("sales", _("Sales")),
    ("channel", _("Channel")),
    ("service", _("After-sales")),
    ("masterdata", _("Master data")),
    ("system", _("System")),
]
LAST_GROUP = "system"

# the default group of every entry an app declares
APP_GROUP: dict[str, str] = {
    "serials": "units",
    "unitfile": "units",
    "procurement": "purchasing",
    "inventory": "stock",
    "sales": "sales",
    "service": "service",
    "authenticity": "channel",
    "catalog": "masterdata",
    "places": "masterdata",
    "parties": "masterdata",
    "core": "system",
    "accounts": "system",
}

# entries shown somewhere else than their app's group
ITEM_GROUP: dict[str, str] = {
    "sales:distributors": "channel",
    "sales:my_units": "channel",
    "sales:record_sale": "channel",
    "sales:my_sales": "channel",
}


@dataclass
class Entry:
    url: str
    label: Any
    active: bool = False


@dataclass
class Group:
    key: str
    label: Any
    entries: list[Entry] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return any(e.active for e in self.entries)

    @property
    def single(self) -> Entry | None:
        """The one entry of a group of one (shown as a plain link)."""
        return self.entries[0] if len(self.entries) == 1 else None


def group_of(url_name: str, app_label: str) -> str:
    """The group key an entry goes into (see the module's docstring)."""
    return ITEM_GROUP.get(url_name) or APP_GROUP.get(app_label) or app_label


def _group_label(key: str) -> Any:
    for known, label in GROUPS:
        if known == key:
            return label
    try:
        return apps.get_app_config(key).verbose_name
    except LookupError:
        return key


def _order(key: str) -> tuple[int, int]:
    keys = [k for k, _label in GROUPS]
    if key in keys:
        # unknown apps' groups (below) sit just before the last group
        return (keys.index(key) + (1 if key == LAST_GROUP else 0), 0)
    return (keys.index(LAST_GROUP), -1)


def entries_for(user) -> list[tuple[str, str, Entry]]:
    """(url name, group key, entry) of every page ``user`` may open, in the apps' order."""
    found = []
    for (name, label, perm), app_label in nav_owners().items():
        if not user.has_perm(perm):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        found.append((name, group_of(name, app_label), Entry(url, label)))
    return found


def menu_for(user, path: str) -> list[Group]:
    """The navigation groups ``user`` sees on the page at ``path``, the current one marked."""
    if not (user and user.is_authenticated):
        return []
    found = entries_for(user)
    # the longest matching prefix wins, so /units/import/ lights "Import", not "Units"
    matches = [
        e for _n, _g, e in found if path == e.url or (e.url != "/" and path.startswith(e.url))
    ]
    if matches:
        max(matches, key=lambda e: len(e.url)).active = True
    groups: dict[str, Group] = {}
    for _name, key, entry in found:
        groups.setdefault(key, Group(key, _group_label(key))).entries.append(entry)
    # sorted() is stable: unknown apps' groups keep the apps' order among themselves
    return sorted(groups.values(), key=lambda g: _order(g.key))
