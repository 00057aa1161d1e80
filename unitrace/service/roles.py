"""Permissions this app grants to roles (merged by accounts.roles).

Returns and exchanges: sales, the warehouse and customer service take units back and
ship replacements; quality looks; managers and auditors read everything.

Work orders: agents open and follow them (and cancel on the customer's word);
dispatchers assign; engineers work the jobs assigned to them; supervisors do all of it
and keep the fault-code taxonomy, the SLA policies and who supervises which region; a
service partner's logins see their own (scoped by ``service.access``); managers, quality
and auditors read (clocks and escalations too).
"""

VIEW_SERVICE = ["service.view_rma", "service.view_exchange"]
RETURNS = ["service.add_rma", "service.change_rma", "service.add_exchange"]
VIEW_WO = ["service.view_workorder", "service.view_faultcategory", "service.view_faultcode"]
OPEN_WO = ["service.add_workorder", "service.change_workorder"]
FAULT_CODES = [
    "service.add_faultcategory",
    "service.change_faultcategory",
    "service.add_faultcode",
    "service.change_faultcode",
]

SLA_VIEW = ["service.view_slapolicy", "service.view_slaclock", "service.view_slaescalation"]
SLA_EDIT = [
    "service.add_slapolicy",
    "service.change_slapolicy",
    "service.view_supervisorregion",
    "service.add_supervisorregion",
    "service.change_supervisorregion",
    "service.delete_supervisorregion",
]

GRANTS: dict[str, list[str]] = {
    "sales": [*VIEW_SERVICE, *RETURNS],
    "warehouse": [*VIEW_SERVICE, *RETURNS],
    "agent": [*VIEW_SERVICE, *RETURNS, *VIEW_WO, *OPEN_WO, "service.close_workorder"],
    "dispatcher": [
        *VIEW_WO,
        *SLA_VIEW,
        "service.change_workorder",
        "service.dispatch_workorder",
    ],
    "engineer": ["service.view_faultcode", "service.work_workorder"],
    "supervisor": [
        *VIEW_SERVICE,
        *RETURNS,
        *VIEW_WO,
        *OPEN_WO,
        *FAULT_CODES,
        *SLA_VIEW,
        *SLA_EDIT,
        "service.dispatch_workorder",
        "service.close_workorder",
    ],
    "distributor": ["service.view_workorder", "service.view_faultcode"],
    "quality": [*VIEW_SERVICE, *VIEW_WO, *SLA_VIEW],
    "manager": [*VIEW_SERVICE, *VIEW_WO, *SLA_VIEW],
    "auditor": [*VIEW_SERVICE, *VIEW_WO, *SLA_VIEW],
}
