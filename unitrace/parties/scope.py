"""The data scope of a login, for the master-data apps: the party it acts for.

A distributor's, supplier's or service partner's login (``accounts.Profile.party``) is
limited to its own party; staff logins have none. The serials layer has its own reading
of the same field for units; master data cannot import it (it is a higher layer).
"""

from __future__ import annotations


def scope_party_id(user) -> int | None:
    """The id of the party ``user`` is limited to, or None for staff."""
    if not (user is not None and user.is_authenticated):
        return None
    profile = getattr(user, "profile", None)
    return profile.party_id if profile is not None else None
