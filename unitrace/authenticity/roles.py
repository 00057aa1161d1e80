"""Permissions this app grants to roles (merged by accounts.roles).

The channel team works diversion alerts; quality and auditors read them. Customer
service, the channel team, quality, management and auditors may read a unit's public
authenticity checks (counts and places, nothing personal) on its file. The public pages
need no permission at all.
"""

VIEW = ["authenticity.view_diversionalert"]
WORK = [*VIEW, "authenticity.change_diversionalert"]
CHECKS = ["authenticity.view_verification"]

GRANTS: dict[str, list[str]] = {
    "agent": CHECKS,
    "supervisor": CHECKS,
    "sales": [*WORK, *CHECKS],
    "manager": [*WORK, *CHECKS],
    "quality": [*VIEW, *CHECKS],
    "auditor": [*VIEW, *CHECKS],
}
