"""The role groups hold exactly what accounts/roles.py grants, no more and no less."""

from importlib import import_module

import pytest
from django.apps import apps as global_apps
from django.contrib.auth.models import Group, Permission

from unitrace.accounts.roles import ROLES, role_permissions
from unitrace.accounts.services import sync_roles

pytestmark = pytest.mark.django_db

SEED_MIGRATIONS = [
    "unitrace.accounts.migrations.0002_seed_roles",
    "unitrace.accounts.migrations.0003_distributor_role",
]


def granted(group: Group) -> set[str]:
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


def expected(perms: list[str]) -> set[str]:
    if perms == ["*"]:
        return {
            f"{p.content_type.app_label}.{p.codename}"
            for p in Permission.objects.select_related("content_type")
        }
    return set(perms)


def assert_groups_match_the_table():
    table = role_permissions()
    assert set(Group.objects.values_list("name", flat=True)) == set(ROLES) == set(table)
    for role, perms in table.items():
        group = Group.objects.get(name=role)
        assert granted(group) == expected(perms), role


def test_migrated_database_grants_exactly_the_table():
    # Every permission the table names exists (a typo would be silently skipped by
    # the migrations' non-strict seed and show up here as missing).
    assert_groups_match_the_table()


def test_role_table_is_not_empty_and_admin_gets_everything():
    table = role_permissions()
    assert table["admin"] == ["*"]
    assert all(table[role] for role in ROLES)
    assert "catalog.add_sku" not in table["procurement"]
    assert "catalog.add_batch" in table["procurement"]
    # app grants (procurement/inventory/sales/authenticity roles.py) are merged in
    assert "inventory.close_stocktake" in table["warehouse"]


@pytest.mark.parametrize("module", SEED_MIGRATIONS)
def test_seed_migration_restores_exactly_the_table(module):
    agent = Group.objects.get(name="agent")
    agent.permissions.add(Permission.objects.get(codename="delete_sku"))  # too much
    Group.objects.get(name="warehouse").permissions.clear()  # too little
    Group.objects.filter(name="auditor").delete()  # gone
    import_module(module).seed(global_apps, None)
    assert_groups_match_the_table()


def test_sync_roles_is_strict_and_idempotent():
    counts = sync_roles()  # strict: raises if a named permission does not exist
    assert counts == {role: len(expected(perms)) for role, perms in role_permissions().items()}
    assert sync_roles() == counts
    assert_groups_match_the_table()
