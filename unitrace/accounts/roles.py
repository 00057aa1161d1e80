"""The roles of unitrace and what each may do.

Roles are Django groups whose permissions are (re)seeded by a migration and by
``manage.py sync_roles``; changing a role means editing this table, so the grant is
reviewed in code like everything else. Permissions not listed are denied.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

VIEW_MASTER = [
    "catalog.view_category",
    "catalog.view_sku",
    "catalog.view_componentspec",
    "catalog.view_batch",
    "parties.view_party",
    "places.view_warehouse",
]
VIEW_UNITS = ["serials.view_unit", "serials.view_unitevent"]
REGISTER_UNITS = ["serials.add_unit", "serials.print_labels", "core.view_job"]
RECORD_EVENTS = ["serials.record_event"]
ASSEMBLE = ["serials.change_componentlink"]
PII = ["parties.view_pii"]

ROLES: dict[str, tuple[str, list[str]]] = {
    "agent": (_("Customer-service agent"), VIEW_MASTER + VIEW_UNITS + PII),
    "dispatcher": (_("Dispatcher"), VIEW_MASTER + VIEW_UNITS + PII),
    "engineer": (_("Field engineer"), VIEW_MASTER + VIEW_UNITS + RECORD_EVENTS + ASSEMBLE + PII),
    "warehouse": (
        _("Warehouse clerk"),
        VIEW_MASTER + VIEW_UNITS + REGISTER_UNITS + RECORD_EVENTS + ASSEMBLE,
    ),
    "procurement": (
        _("Procurement"),
        VIEW_MASTER
        + VIEW_UNITS
        + REGISTER_UNITS
        + [
            "catalog.add_batch",
            "catalog.change_batch",
            "parties.add_party",
            "parties.change_party",
        ],
    ),
    "sales": (_("Sales / channel manager"), VIEW_MASTER + VIEW_UNITS + RECORD_EVENTS + PII),
    "quality": (
        _("Quality engineer"),
        VIEW_MASTER + VIEW_UNITS + ["catalog.change_batch", "core.view_job"],
    ),
    "manager": (_("Manager"), VIEW_MASTER + VIEW_UNITS + PII + ["core.view_job"]),
    "auditor": (
        _("Auditor"),
        VIEW_MASTER + VIEW_UNITS + ["core.view_audit", "core.view_changelog"],
    ),
    "distributor": (
        _("Distributor / service partner"),
        ["serials.view_unit", "serials.view_unitevent", "catalog.view_sku"],
    ),
    "admin": (_("Administrator"), ["*"]),
}

# Apps that add permissions of their own grant them in ``<app>/roles.py`` as
# ``GRANTS = {"role": ["app.codename", ...]}``; the seed merges them here.
GRANT_MODULES = [
    "unitrace.procurement.roles",
    "unitrace.inventory.roles",
    "unitrace.sales.roles",
    "unitrace.service.roles",
    "unitrace.warranty.roles",
    "unitrace.authenticity.roles",
]


def role_permissions() -> dict[str, list[str]]:
    """Every role's permissions: the table above plus each app's own grants."""
    from importlib import import_module

    merged = {name: list(perms) for name, (_label, perms) in ROLES.items()}
    for module_name in GRANT_MODULES:
        try:
            grants = import_module(module_name).GRANTS
        except ModuleNotFoundError:
            continue
        for role, perms in grants.items():
            if merged[role] != ["*"]:
                merged[role].extend(p for p in perms if p not in merged[role])
    return merged


def role_names() -> list[str]:
    return list(ROLES)
