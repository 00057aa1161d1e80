"""The roles of unitrace and what each may do.

Roles are Django groups whose permissions are (re)seeded by a migration and by
``manage.py sync_roles``; changing a role means editing this table or an app's own
grants, so the grant is reviewed in code like everything else. Permissions not listed
are denied.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from unitrace.core.plugins import role_grants

VIEW_MASTER = [
    "catalog.view_category",
    "catalog.view_sku",
    "catalog.view_componentspec",
    "catalog.view_batch",
    "parties.view_party",
    "places.view_warehouse",
]
PII = ["parties.view_pii"]

ROLES: dict[str, tuple[str, list[str]]] = {
    "agent": (_("Customer-service agent"), VIEW_MASTER + PII),
    "dispatcher": (_("Dispatcher"), VIEW_MASTER + PII),
    "supervisor": (_("Service supervisor"), [*VIEW_MASTER, *PII, "core.view_job"]),
    "engineer": (_("Field engineer"), VIEW_MASTER + PII),
    "warehouse": (_("Warehouse clerk"), VIEW_MASTER),
    "procurement": (
        _("Procurement"),
        [
            *VIEW_MASTER,
            "catalog.add_batch",
            "catalog.change_batch",
            "parties.add_party",
            "parties.change_party",
        ],
    ),
    "sales": (_("Sales / channel manager"), VIEW_MASTER + PII),
    "quality": (_("Quality engineer"), [*VIEW_MASTER, "catalog.change_batch", "core.view_job"]),
    "manager": (_("Manager"), VIEW_MASTER + PII + ["core.view_job"]),
    "auditor": (_("Auditor"), [*VIEW_MASTER, "core.view_audit", "core.view_changelog"]),
    "distributor": (_("Distributor / service partner"), ["catalog.view_sku"]),
    "admin": (_("Administrator"), ["*"]),
}

# Apps grant permissions of their own in ``<app>/roles.py`` as
# ``GRANTS = {"role": ["app.codename", ...]}``, named by ``Plugin.grants`` on their
# AppConfig (see unitrace.core.plugins); the seed merges them here, in app order.


def role_permissions() -> dict[str, list[str]]:
    """Every role's permissions: the table above plus each installed app's own grants."""
    merged = {name: list(perms) for name, (_label, perms) in ROLES.items()}
    for grants in role_grants():
        for role, perms in grants.items():
            if merged[role] != ["*"]:
                merged[role].extend(p for p in perms if p not in merged[role])
    return merged


def role_names() -> list[str]:
    return list(ROLES)
