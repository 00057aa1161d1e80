"""Permissions this app grants to roles (merged by accounts.roles).

The exchange warranty rule is set by sales (it is part of the commercial terms) and
read by the managers and auditors who check them.
"""

VIEW_RULES = ["warranty.view_exchangewarrantyrule"]

GRANTS: dict[str, list[str]] = {
    "sales": [
        *VIEW_RULES,
        "warranty.add_exchangewarrantyrule",
        "warranty.change_exchangewarrantyrule",
    ],
    "manager": VIEW_RULES,
    "auditor": VIEW_RULES,
}
