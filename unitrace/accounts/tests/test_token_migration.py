"""DRF's clear-text tokens are hashed into named tokens and keep working."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from rest_framework.test import APIClient

from tests import factories as f
from unitrace.accounts.services import sync_roles

BEFORE = [("accounts", "0003_distributor_role"), ("authtoken", "0004_alter_tokenproxy_options")]
AFTER = [("accounts", "0004_api_tokens")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_drf_tokens_are_hashed_removed_and_still_valid():
    sync_roles()  # a transactional test starts from a flushed database
    user = f.UserFactory(role="procurement", username="legacy")
    old = migrate(BEFORE)
    key = "0123456789abcdef0123456789abcdef01234567"
    old.get_model("authtoken", "Token").objects.create(key=key, user_id=user.pk)
    new = migrate(AFTER)
    migrate(migrate_all())
    assert not new.get_model("authtoken", "Token").objects.exists()  # no secret in clear
    [token] = new.get_model("accounts", "ApiToken").objects.filter(user_id=user.pk)
    assert token.prefix == key[:8] and key not in token.digest
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/skus/").status_code == 200


def migrate_all():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
