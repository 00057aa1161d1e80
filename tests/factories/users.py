"""Logins: users holding one role, scoped partner logins, clients acting as them.

Roles are Django groups seeded from ``accounts/roles.py``; a user gets one through
``accounts.services.create_user``, the same call the admin and ``seed_demo`` make, so a
factory-made login holds exactly the permissions a real one would.
"""

from __future__ import annotations

from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from unitrace.accounts import tokens
from unitrace.accounts.models import ApiToken, Profile
from unitrace.accounts.services import create_user

PASSWORD = "pw-123456-x"


class UserFactory(factory.django.DjangoModelFactory):
    """``UserFactory(role="warehouse")``; ``role=None`` is a login without any role.

    ``party`` scopes the login to a partner (a distributor or service partner sees only
    that party's units). A role login is created-or-reset like ``create_user`` does, so
    asking twice for the same username gives the same user.
    """

    class Meta:
        model = get_user_model()

    username = factory.LazyAttribute(lambda o: f"{o.role}-user" if o.role else "nobody")
    password = PASSWORD
    role: str | None = None
    party = None

    @classmethod
    def _create(cls, model_class, *, username, password, role=None, party=None, **extra):
        if role is None:
            user = model_class.objects.create_user(username, password=password, **extra)
        else:
            user = create_user(username, password, role, **extra)
        if party is not None:
            Profile.objects.create(user=user, party=party)
        return user


def distributor_login(party, username: str = "dist-user"):
    """A distributor's login whose data scope is ``party``."""
    return UserFactory(role="distributor", username=username, party=party)


def api_key(user, *, name: str = "test", scope: str = "write", apps=(), expires_at=None) -> str:
    """A new API token of ``user`` (read-write, every app unless told), as a fixture.

    Made directly, like any factory row: it writes no change-log entry, so tests that
    count entries see only their own. ``accounts.tokens.issue`` is what users call.
    """
    prefix, key = tokens.new_key()
    ApiToken.objects.create(
        user=user,
        name=name,
        prefix=prefix,
        digest=tokens.digest(key),
        scope=scope,
        apps=sorted(apps),
        expires_at=expires_at or timezone.now() + timedelta(days=tokens.default_days()),
    )
    return key


def token_client(user, **options) -> APIClient:
    """An API client authenticated by a new token of ``user`` (``client.user`` is that user).

    ``options`` go to ``accounts.tokens.issue`` (``scope``, ``apps``, ``expires_at``).
    """
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_key(user, **options)}")
    client.user = user
    return client


def logged_in(client: Client, user) -> Client:
    """``client`` with a session for ``user`` (``client.user`` is that user)."""
    client.force_login(user)
    client.user = user
    return client
