"""Deny by default, checked over every route: nothing answers 2xx without a login or role.

Each app tests its own endpoints role by role; this walks the whole URL configuration,
so a route added without a permission check fails here even if nobody wrote a test
for it. Only the pages meant for everyone are allowed, each for a stated reason.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    """Demo data, so that object 1 of most tables exists: a view that checks nothing
    answers 200 rather than hiding behind a 404."""
    from unitrace.demo.seed import seed_demo

    seed_demo(units=200)


# open to anyone: logging in, the public pages on a product's label, static helpers
PUBLIC = {
    "/accounts/login/",  # the login form
    "/admin/login/",  # Django admin's login form (the admin itself needs staff)
    "/jsi18n/",  # translated strings for the pages' scripts
    "/p/activate/",  # end customers register a product (no login)
    "/p/verify/",  # end customers check authenticity (rate-limited, no login)
    "/api/schema/",  # the OpenAPI description: names endpoints, shows no data
    "/api/docs/",  # the same, rendered
}
# open to anyone holding an unguessable token from a label or an answer (no login, no
# list): an unknown token is a 404, so the walk's "1" never reaches data
BY_TOKEN = {
    "/p/repair/<token>/",  # the customer's repair request from the label (rate-limited)
    "/p/repair/<token>/code/",  # its SMS code (rate-limited, POST only)
    "/r/<token>/",  # the customer's progress page of a repair request
}
# open to every logged-in user: what the user owns, whatever their role
ANY_USER = {
    "/jobs/",  # the user's own background jobs (jobs_visible_to)
    # division reference data (GB/T 2260 names, codes, centroids) and address
    # resolution: public knowledge every intake form looks up, no business records
    "/api/v1/divisions/",
    "/api/v1/divisions/resolve/",
}


def _walk(patterns, prefix: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def _concrete(route: str) -> str | None:
    """A path for ``route`` with every parameter filled with 1 (None when not possible)."""
    path = re.sub(r"\(\?P<format>[^)]*\)", "", route)  # DRF's optional .json suffix
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", path)  # regex groups of routers
    path = re.sub(r"<(?:\w+:)?\w+>", "1", path)  # path converters
    path = path.replace("\\.", ".").replace("^", "").replace("$", "").replace("/?", "/")
    if re.search(r"[()\[\]*+?\\]", path):
        return None
    return "/" + path


def all_paths() -> list[str]:
    paths = {_concrete(route) for route in _walk(get_resolver().url_patterns)}
    return sorted(p for p in paths if p is not None and not p.startswith("/static/"))


def test_the_walk_finds_the_routes_that_matter():
    paths = all_paths()
    assert len(paths) > 150
    for expected in ("/api/v1/units/1/", "/units/1/", "/api/v1/purchase-orders/1/receive/"):
        assert expected in paths


def test_anonymous_gets_nothing_but_the_public_pages(world):
    client = Client()
    leaks = []
    for path in all_paths():
        if path in PUBLIC:
            continue
        for method in (client.get, client.post):
            status = method(path).status_code
            if status < 300:
                leaks.append(f"{method.__name__.upper()} {path} -> {status}")
    assert leaks == []


def test_a_login_without_any_role_gets_nothing_but_its_own(world):
    user = f.UserFactory(username="no-role", password="x")
    client = Client()
    client.force_login(user)
    leaks = []
    for path in all_paths():
        if path in PUBLIC or path in ANY_USER:
            continue
        for method in (client.get, client.post):
            status = method(path).status_code
            if status < 300:
                leaks.append(f"{method.__name__.upper()} {path} -> {status}")
    assert leaks == []


def test_the_token_pages_answer_only_a_real_token(db):
    client = Client()
    assert client.get("/p/repair/AAAAAAAAAAAAAAAA/").status_code == 404
    assert client.post("/p/repair/AAAAAAAAAAAAAAAA/code/").status_code == 404
    assert client.get("/r/AAAAAAAAAAAAAAAAAAAAAAAA/").status_code == 404
    routes = set(all_paths())
    assert "/api/v1/repair-requests/" in routes  # guarded like every API route
    resolved = {p.replace("<token>", "AAAAAAAAAAAAAAAA") for p in BY_TOKEN}
    from django.urls import resolve

    for path in resolved:
        resolve(path)  # each token page exists
