"""Permissions this app grants to roles (merged by accounts.roles).

Everyone who works with units may look them up and read their history; the warehouse and
procurement register units (from a file or by generation, as background jobs whose
progress they follow) and print labels; the warehouse, field engineers and the channel
team record events; the warehouse and engineers fit and remove components.
"""

VIEW_UNITS = ["serials.view_unit", "serials.view_unitevent"]
REGISTER_UNITS = ["serials.add_unit", "serials.print_labels", "core.view_job"]
RECORD_EVENTS = ["serials.record_event"]
ASSEMBLE = ["serials.change_componentlink"]

GRANTS: dict[str, list[str]] = {
    "agent": VIEW_UNITS,
    "dispatcher": VIEW_UNITS,
    "supervisor": VIEW_UNITS,
    "engineer": VIEW_UNITS + RECORD_EVENTS + ASSEMBLE,
    "warehouse": VIEW_UNITS + REGISTER_UNITS + RECORD_EVENTS + ASSEMBLE,
    "procurement": VIEW_UNITS + REGISTER_UNITS,
    "sales": VIEW_UNITS + RECORD_EVENTS,
    "quality": VIEW_UNITS,
    "manager": VIEW_UNITS,
    "auditor": VIEW_UNITS,
    "distributor": VIEW_UNITS,
}
