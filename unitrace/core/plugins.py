"""Apps plug in: each app declares what it adds to the site on its own ``AppConfig``.

An app's ``AppConfig`` carries a :class:`Plugin` as its ``plugin`` attribute, naming
(as dotted module paths, so nothing is imported before the app registry is ready):

* ``pages`` — ``(prefix, urls module)`` pairs mounted in the root URL configuration;
* ``api`` — the urls module whose routes go under ``/api/v1/``;
* ``nav`` — a module with ``ITEMS = [(url name, label, permission), ...]``;
* ``grants`` — a module with ``GRANTS = {"role": ["app.codename", ...]}``, merged into
  the role table of ``accounts/roles.py`` by ``sync_roles`` and the role migrations;
* ``jobs`` — modules whose import registers background-job handlers;
* ``masks`` — a module with ``MASKS = {"app.model": function}``: how the change log
  shows that model's entries to a user (``function(entry, user)`` gets and returns a
  dict of ``before``, ``after`` and ``object_repr``), e.g. personal data masked for a
  role without the permission to see it, in the page, the API and the exports alike.

Adding an app is then ``INSTALLED_APPS`` plus the app's own folder: this module walks
``django.apps.apps.get_app_configs()`` and names no app itself.

Order is explicit, because the URL lists and the navigation were never in
``INSTALLED_APPS`` order (that order is the layering's). ``order`` places an app's page
mounts, API routes, navigation entries and grants among the other apps' (lower first;
ties keep ``INSTALLED_APPS`` order); ``nav_order`` places the navigation entries alone
where they differ. The page mount at the empty prefix (the catch-all: the unit file with
serials' pages) is always mounted last, whatever its order.

Two apps claiming the same page prefix or the same navigation entry (URL name) stop
the start with ``ImproperlyConfigured`` (``CoreConfig.ready`` checks).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import import_module
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.urls import include, path

DEFAULT_ORDER = 1000
NavItem = tuple[str, Any, str]  # (url name, label, permission)


@dataclass(frozen=True)
class Plugin:
    """What one app adds to the site; every part is optional."""

    order: int = DEFAULT_ORDER
    pages: tuple[tuple[str, str], ...] = ()
    api: str = ""
    nav: str = ""
    nav_order: int | None = None
    grants: str = ""
    jobs: tuple[str, ...] = ()
    masks: str = ""
    # a module with ``flags(unit, when) -> list[(code, message, details)]``: what an app
    # above the service app knows about a unit that a person should see at repair intake
    # (the authenticity app: a label checked like a cloned one)
    intake_flags: str = ""


@dataclass(frozen=True)
class Declared:
    """One app's plugin, with the app's label (for error messages) and its position."""

    label: str
    plugin: Plugin
    position: int  # index in INSTALLED_APPS, the tie-breaker

    @property
    def key(self) -> tuple[int, int]:
        return (self.plugin.order, self.position)

    @property
    def nav_key(self) -> tuple[int, int]:
        nav_order = self.plugin.nav_order
        return (self.plugin.order if nav_order is None else nav_order, self.position)


@dataclass(frozen=True)
class Mount:
    prefix: str
    module: str
    label: str


class Registry:
    """The declarations of the installed apps, in the order the site uses them."""

    def __init__(self, declared: Iterable[Declared]):
        self.apps = sorted(declared, key=lambda d: d.key)
        self.pages = self._mounts()

    def _mounts(self) -> list[Mount]:
        mounts: list[Mount] = []
        claimed: dict[str, str] = {}
        for app in self.apps:
            for prefix, module in app.plugin.pages:
                if prefix in claimed:
                    raise ImproperlyConfigured(
                        f"URL prefix {prefix!r} is claimed by both the {claimed[prefix]!r} "
                        f"and the {app.label!r} apps (Plugin.pages on their AppConfig)"
                    )
                claimed[prefix] = app.label
                mounts.append(Mount(prefix, module, app.label))
        # the catch-all goes last; sorted() keeps the order of the others
        return sorted(mounts, key=lambda m: m.prefix == "")

    @property
    def api(self) -> list[str]:
        return [app.plugin.api for app in self.apps if app.plugin.api]

    @property
    def grant_modules(self) -> list[str]:
        return [app.plugin.grants for app in self.apps if app.plugin.grants]

    @property
    def job_modules(self) -> list[str]:
        return [module for app in self.apps for module in app.plugin.jobs]

    @cached_property
    def masks(self) -> dict[str, Any]:
        """Each app's change-log masks by object type (a later app's entry wins)."""
        merged: dict[str, Any] = {}
        for app in self.apps:
            if app.plugin.masks:
                merged.update(import_module(app.plugin.masks).MASKS)
        return merged

    @cached_property
    def intake_flag_providers(self) -> list[Any]:
        """The apps' ``flags(unit, when)`` functions, in the apps' order."""
        return [
            import_module(app.plugin.intake_flags).flags
            for app in self.apps
            if app.plugin.intake_flags
        ]

    @cached_property
    def nav_items(self) -> list[NavItem]:
        return list(self.nav_owners)

    @cached_property
    def nav_owners(self) -> dict[NavItem, str]:
        """Each navigation entry (in order) with the label of the app declaring it."""
        items: dict[NavItem, str] = {}
        owner: dict[str, str] = {}
        for app in sorted(self.apps, key=lambda d: d.nav_key):
            if not app.plugin.nav:
                continue
            for item in import_module(app.plugin.nav).ITEMS:
                name = item[0]
                if name in owner:
                    raise ImproperlyConfigured(
                        f"navigation entry {name!r} is declared by both the {owner[name]!r} "
                        f"and the {app.label!r} apps (their nav modules' ITEMS)"
                    )
                owner[name] = app.label
                items[tuple(item)] = app.label
        return items

    def grants(self) -> list[dict[str, list[str]]]:
        """Each app's ``GRANTS`` table, in app order."""
        return [import_module(module).GRANTS for module in self.grant_modules]

    def page_urlpatterns(self) -> list:
        return [path(m.prefix, include(m.module)) for m in self.pages]

    def api_urlpatterns(self) -> list:
        return [path("", include(module)) for module in self.api]

    def load_jobs(self) -> None:
        """Import the job modules: their ``@job_handler`` decorators register the kinds."""
        for module in self.job_modules:
            import_module(module)

    def check(self) -> None:
        """Raise ``ImproperlyConfigured`` now for what would otherwise fail later."""
        self.nav_items  # noqa: B018 - building the list checks the navigation keys


def discover(app_configs: Iterable[Any]) -> Registry:
    """The registry of the given app configs (each with ``label``, maybe ``plugin``)."""
    declared = []
    for position, config in enumerate(app_configs):
        plugin = getattr(config, "plugin", None)
        if plugin is None:
            continue
        if not isinstance(plugin, Plugin):
            raise ImproperlyConfigured(
                f"{config.label!r}: AppConfig.plugin must be a unitrace.core.plugins.Plugin"
            )
        declared.append(Declared(config.label, plugin, position))
    return Registry(declared)


@cache
def registry() -> Registry:
    """The registry of the installed apps, built once (after the app registry is ready)."""
    return discover(apps.get_app_configs())


def nav_items() -> list[NavItem]:
    return registry().nav_items


def nav_owners() -> dict[NavItem, str]:
    return registry().nav_owners


def changelog_masks() -> dict[str, Any]:
    return registry().masks


def intake_flag_providers() -> list[Any]:
    return registry().intake_flag_providers


def role_grants() -> list[dict[str, list[str]]]:
    return registry().grants()


def page_urlpatterns() -> list:
    return registry().page_urlpatterns()


def api_urlpatterns() -> list:
    return registry().api_urlpatterns()
