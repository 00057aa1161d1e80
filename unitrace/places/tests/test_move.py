"""Warehouse and Bin moved from inventory: their permissions, grants and history follow.

The forward migration of a database that still has the old labels is checked by
relabelling rows the way such a database holds them and running the same function the
migrations run.
"""

from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from unitrace.core import audit_triggers
from unitrace.core.audit import verify_changelog
from unitrace.core.model_moves import move_content_types
from unitrace.core.models import ChangeLog
from unitrace.places.models import Bin, Warehouse

pytestmark = pytest.mark.django_db
EDITOR = SimpleNamespace(connection=connection)


def test_the_models_keep_their_tables():
    assert Warehouse._meta.db_table == "inventory_warehouse"
    assert Bin._meta.db_table == "inventory_bin"
    assert Warehouse._meta.label_lower == "places.warehouse"


def test_permissions_are_places_and_granted_to_the_roles():
    assert ContentType.objects.get_for_model(Warehouse).app_label == "places"
    assert not ContentType.objects.filter(app_label="inventory", model="warehouse").exists()
    assert (
        Group.objects.get(name="agent")
        .permissions.filter(content_type__app_label="places", codename="view_warehouse")
        .exists()
    )
    assert (
        Group.objects.get(name="quality")
        .permissions.filter(content_type__app_label="places", codename="hold_units")
        .exists()
    )


def test_relabel_keeps_the_rows_that_groups_and_history_point_at():
    content_type = ContentType.objects.get_for_model(Warehouse)
    perm = Permission.objects.get(content_type=content_type, codename="view_warehouse")
    group = Group.objects.create(name="custom")
    group.permissions.add(perm)
    ChangeLog.objects.create(action="create", object_type="places.warehouse", object_id="1")
    # the database as the inventory app left it
    ContentType.objects.filter(pk=content_type.pk).update(app_label="inventory")
    with audit_triggers.lifted(EDITOR):
        ChangeLog.objects.update(object_type="inventory.warehouse")
    # a fresh content type made under the new label before the relabel runs
    stray = ContentType.objects.create(app_label="places", model="warehouse")

    move_content_types(apps, EDITOR, "inventory", "places", ["warehouse"])

    assert not ContentType.objects.filter(pk=stray.pk).exists()
    assert ContentType.objects.get(pk=content_type.pk).app_label == "places"
    assert group.permissions.get() == perm
    assert ChangeLog.objects.get().object_type == "places.warehouse"
    # the relabelled history is sealed again, and still append-only
    assert verify_changelog() is None
    assert audit_triggers.installed(connection)
