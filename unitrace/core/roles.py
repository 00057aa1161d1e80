"""Permissions core grants to roles (merged by accounts.roles): auditors read the change log."""

GRANTS: dict[str, list[str]] = {
    "auditor": ["core.view_changelog", "core.view_audit"],
}
