"""The signed-in user's role, shown beside their name on every page."""

from __future__ import annotations

from unitrace.accounts.roles import ROLES


def role_label(request) -> dict[str, str]:
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {}
    names = [g.name for g in user.groups.all()]
    return {"role_label": ", ".join(str(ROLES[n][0]) for n in names if n in ROLES)}
