"""Permissions this app grants to roles (merged by accounts.roles).

Clerks run the warehouse: transfers, holds, stocktakes (closing included: in the small
teams we serve the clerk who counts is often the one who signs the count) and spare
parts. Quality may hold and release units. Everyone who plans or checks work may look.
"""

VIEW_STOCK = [
    "places.view_bin",
    "inventory.view_transfer",
    "inventory.view_stocktake",
    "inventory.view_partstock",
    "inventory.view_partmove",
    "inventory.view_minstock",
    "inventory.view_stockalert",
]
CLERK = [
    *VIEW_STOCK,
    "inventory.add_transfer",
    "inventory.dispatch_transfer",
    "inventory.receive_transfer",
    "places.hold_units",
    "inventory.add_stocktake",
    "inventory.count_stocktake",
    "inventory.close_stocktake",
    "inventory.add_partmove",
    "inventory.adjust_partstock",
    "inventory.issue_expired_parts",
    "inventory.add_minstock",
    "inventory.change_minstock",
]

GRANTS: dict[str, list[str]] = {
    "warehouse": CLERK,
    "quality": [*VIEW_STOCK, "places.hold_units"],
    "manager": [*VIEW_STOCK, "inventory.close_stocktake"],
    "auditor": VIEW_STOCK,
    "procurement": ["inventory.view_partstock", "inventory.view_transfer"],
    "dispatcher": ["inventory.view_partstock"],
    "engineer": ["inventory.view_partstock"],
    "agent": ["inventory.view_partstock"],
    "supervisor": ["inventory.view_partstock"],
}
