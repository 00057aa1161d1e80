"""Permissions this app grants to roles (merged by accounts.roles).

Returns and exchanges: sales, the warehouse and customer service take units back and
ship replacements; quality looks; managers and auditors read everything.
"""

VIEW_SERVICE = ["service.view_rma", "service.view_exchange"]
RETURNS = ["service.add_rma", "service.change_rma", "service.add_exchange"]

GRANTS: dict[str, list[str]] = {
    "sales": [*VIEW_SERVICE, *RETURNS],
    "warehouse": [*VIEW_SERVICE, *RETURNS],
    "agent": [*VIEW_SERVICE, *RETURNS],
    "quality": VIEW_SERVICE,
    "manager": VIEW_SERVICE,
    "auditor": VIEW_SERVICE,
}
