"""Permissions this app grants to roles (merged by accounts.roles).

Returns and exchanges are granted by ``service/roles.py``, the exchange warranty rule
by ``warranty/roles.py``.
"""

VIEW_SALES = [
    "sales.view_saleschannel",
    "sales.view_salesorder",
    "sales.view_delivery",
    "sales.view_sellthrough",
]

GRANTS: dict[str, list[str]] = {
    "sales": [
        *VIEW_SALES,
        "parties.add_party",
        "parties.change_party",
        "sales.add_saleschannel",
        "sales.change_saleschannel",
        "sales.add_salesorder",
        "sales.change_salesorder",
        "sales.add_delivery",
        "sales.add_sellthrough",
    ],
    "warehouse": [
        "sales.view_saleschannel",
        "sales.view_salesorder",
        "sales.view_delivery",
        "sales.add_delivery",
    ],
    "agent": [
        "sales.view_salesorder",
        "sales.view_delivery",
        "sales.view_sellthrough",
    ],
    "supervisor": [
        "sales.view_salesorder",
        "sales.view_delivery",
        "sales.view_sellthrough",
    ],
    "manager": VIEW_SALES,
    "auditor": VIEW_SALES,
    "distributor": ["sales.view_sellthrough", "sales.add_sellthrough"],
}
