"""Seeding roles and creating users: used by migrations, commands and demo data."""

from __future__ import annotations

from django.apps import apps as global_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission

from unitrace.accounts.roles import ROLES, role_permissions


def sync_roles(apps=global_apps, *, strict: bool = True) -> dict[str, int]:
    """Make each role's group hold exactly the permissions the table grants.

    Migrations call it with ``strict=False`` after creating their own models: a
    permission whose model a later migration creates is skipped now and granted by
    that later migration's own call.
    """
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    counts: dict[str, int] = {}
    for name, perms in role_permissions().items():
        group, _created = group_model.objects.get_or_create(name=name)
        if perms == ["*"]:
            wanted = list(permission_model.objects.all())
        else:
            wanted = []
            for dotted in perms:
                app_label, codename = dotted.split(".", 1)
                perm = permission_model.objects.filter(
                    content_type__app_label=app_label, codename=codename
                ).first()
                if perm is None:
                    if strict:
                        raise LookupError(f"Role {name}: permission {dotted} does not exist")
                    continue
                wanted.append(perm)
        group.permissions.set(wanted)
        counts[name] = len(wanted)
    return counts


def create_user(username: str, password: str, role: str, **extra) -> object:
    """Create (or reset) a login holding exactly one role."""
    if role not in ROLES:
        raise ValueError(f"Unknown role {role!r}; choose one of {', '.join(ROLES)}")
    user_model = get_user_model()
    user, _created = user_model.objects.get_or_create(username=username, defaults=extra)
    user.set_password(password)
    user.is_staff = role == "admin"
    user.is_superuser = role == "admin"
    user.save()
    user.groups.set([Group.objects.get(name=role)])
    return user


def role_of(user) -> str | None:
    names = list(user.groups.values_list("name", flat=True)) if user.is_authenticated else []
    return names[0] if names else None


__all__ = ["Permission", "create_user", "role_of", "sync_roles"]
