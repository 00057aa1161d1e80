"""Permissions this app grants to roles (merged by accounts.roles).

The channel team works diversion alerts; quality and auditors read them. The public
pages need no permission at all.
"""

VIEW = ["authenticity.view_diversionalert"]
WORK = [*VIEW, "authenticity.change_diversionalert"]

GRANTS: dict[str, list[str]] = {
    "sales": WORK,
    "manager": WORK,
    "quality": VIEW,
    "auditor": VIEW,
}
