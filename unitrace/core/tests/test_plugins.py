"""Apps plug in: their AppConfig declarations are found, ordered and checked for conflicts."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from types import ModuleType

import pytest
from django.core.exceptions import ImproperlyConfigured

from unitrace.core.plugins import Plugin, discover


@dataclass
class App:
    """Stands in for an AppConfig: discovery reads only ``label`` and ``plugin``."""

    label: str
    plugin: object = None


@pytest.fixture
def modules(monkeypatch):
    """Make throw-away modules importable by name: ``modules("x.nav", ITEMS=[...])``."""

    def make(name: str, **attrs) -> ModuleType:
        module = ModuleType(name)
        for key, value in attrs.items():
            setattr(module, key, value)
        monkeypatch.setitem(sys.modules, name, module)
        return module

    return make


def test_an_apps_declarations_are_picked_up(modules):
    modules("shop.nav", ITEMS=[("shop:list", "Shop", "shop.view_thing")])
    modules("shop.roles", GRANTS={"agent": ["shop.view_thing"]})
    plugin = Plugin(
        pages=(("shop/", "shop.urls"),),
        api="shop.api.urls",
        nav="shop.nav",
        grants="shop.roles",
        jobs=("shop.jobs",),
    )
    found = discover([App("plain"), App("shop", plugin)])

    assert [(m.prefix, m.module, m.label) for m in found.pages] == [("shop/", "shop.urls", "shop")]
    assert found.api == ["shop.api.urls"]
    assert found.nav_items == [("shop:list", "Shop", "shop.view_thing")]
    assert found.grants() == [{"agent": ["shop.view_thing"]}]
    assert found.job_modules == ["shop.jobs"]


def test_job_modules_are_imported_by_load_jobs():
    from unitrace.core.jobs import _HANDLERS

    module = "unitrace.core.tests.plugin_jobs"
    sys.modules.pop(module, None)
    _HANDLERS.pop("test.plugged_in", None)
    discover([App("shop", Plugin(jobs=(module,)))]).load_jobs()
    assert "test.plugged_in" in _HANDLERS


def test_a_missing_job_module_fails_loudly():
    found = discover([App("shop", Plugin(jobs=("unitrace.no_such_app.jobs",)))])
    with pytest.raises(ModuleNotFoundError):
        found.load_jobs()


def test_order_then_installed_apps_order_and_the_catch_all_last(modules):
    for name in ("a", "b", "c", "d"):
        modules(f"{name}.nav", ITEMS=[(f"{name}:home", name, f"{name}.view")])
    found = discover(
        [
            App("a", Plugin(order=50, pages=(("a/", "a.urls"),), api="a.api", nav="a.nav")),
            App("b", Plugin(order=10, pages=(("", "b.urls"),), api="b.api", nav="b.nav")),
            App("c", Plugin(order=50, pages=(("c/", "c.urls"), ("c2/", "c.more")), nav="c.nav")),
            App("d", Plugin(order=20, api="d.api", nav="d.nav", nav_order=99)),
        ]
    )
    # b's catch-all at "" goes last although b comes first; a before c (same order,
    # a is installed first); an app's own mounts keep their declared order
    assert [m.prefix for m in found.pages] == ["a/", "c/", "c2/", ""]
    assert found.api == ["b.api", "d.api", "a.api"]
    # nav_order moves d's navigation alone to the end
    assert [name for name, _label, _perm in found.nav_items] == [
        "b:home",
        "a:home",
        "c:home",
        "d:home",
    ]


def test_two_apps_claiming_one_prefix_stop_the_start():
    claimed = "'shop/' is claimed by both the 'a' and the 'b' apps"
    with pytest.raises(ImproperlyConfigured, match=claimed):
        discover(
            [
                App("a", Plugin(pages=(("shop/", "a.urls"),))),
                App("b", Plugin(pages=(("shop/", "b.urls"),))),
            ]
        )


def test_two_catch_alls_conflict_too():
    with pytest.raises(ImproperlyConfigured, match="'' is claimed"):
        discover([App("a", Plugin(pages=(("", "a.urls"),))), App("b", Plugin(pages=(("", "b"),)))])


def test_two_apps_declaring_one_nav_entry_stop_the_start(modules):
    modules("a.nav", ITEMS=[("shared:list", "A", "a.view")])
    modules("b.nav", ITEMS=[("shared:list", "B", "b.view")])
    found = discover([App("a", Plugin(nav="a.nav")), App("b", Plugin(nav="b.nav"))])
    with pytest.raises(ImproperlyConfigured, match="'shared:list' is declared by both"):
        found.check()


def test_a_plugin_that_is_not_a_plugin_is_refused():
    with pytest.raises(ImproperlyConfigured, match=r"must be a unitrace\.core\.plugins\.Plugin"):
        discover([App("a", {"pages": [("a/", "a.urls")]})])
