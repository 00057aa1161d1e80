"""Permissions this app grants to roles (merged by accounts.roles)."""

VIEW_SALES = [
    "sales.view_saleschannel",
    "sales.view_salesorder",
    "sales.view_delivery",
    "sales.view_sellthrough",
    "sales.view_rma",
    "sales.view_exchange",
    "sales.view_exchangewarrantyrule",
]
RETURNS = ["sales.add_rma", "sales.change_rma", "sales.add_exchange"]

GRANTS: dict[str, list[str]] = {
    "sales": [
        *VIEW_SALES,
        *RETURNS,
        "parties.add_party",
        "parties.change_party",
        "sales.add_saleschannel",
        "sales.change_saleschannel",
        "sales.add_salesorder",
        "sales.change_salesorder",
        "sales.add_delivery",
        "sales.add_sellthrough",
        "sales.add_exchangewarrantyrule",
        "sales.change_exchangewarrantyrule",
    ],
    "warehouse": [
        "sales.view_saleschannel",
        "sales.view_salesorder",
        "sales.view_delivery",
        "sales.add_delivery",
        "sales.view_rma",
        "sales.view_exchange",
        *RETURNS,
    ],
    "agent": [
        "sales.view_salesorder",
        "sales.view_delivery",
        "sales.view_sellthrough",
        "sales.view_rma",
        "sales.view_exchange",
        *RETURNS,
    ],
    "quality": ["sales.view_rma", "sales.view_exchange"],
    "manager": VIEW_SALES,
    "auditor": VIEW_SALES,
    "distributor": ["sales.view_sellthrough", "sales.add_sellthrough"],
}
