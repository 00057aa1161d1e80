"""API token authentication that loads the user, data scope and permissions in two reads.

DRF's own ``TokenAuthentication`` costs one ORM query for the token, and the role check
then costs two more (user and group permissions) and the data scope a fourth, each
compiled anew per request. Here the token, the user and the profile come in one join
and the permission names in one union, sent as fixed SQL (``core.sql``); the user
object is primed with Django's own permission cache, so ``has_perm`` and the data
scope read what was loaded for this request. Nothing is cached across requests: a
revoked token, a deactivated user or a changed role take effect on the next call.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication as DRFTokenAuthentication

from unitrace.accounts.models import Profile
from unitrace.core.sql import aware, fetch, fetch_one

User = get_user_model()

_USER_COLUMNS = (
    "id",
    "password",
    "last_login",
    "is_superuser",
    "username",
    "first_name",
    "last_name",
    "email",
    "is_staff",
    "is_active",
    "date_joined",
)
_TOKEN_SQL = (
    "SELECT "  # noqa: S608 - table and column names from the models, not input
    + ", ".join(f"u.{c}" for c in _USER_COLUMNS)
    + ", p.id, p.party_id, p.phone"
    + " FROM authtoken_token t"
    " JOIN auth_user u ON u.id = t.user_id"
    " LEFT JOIN accounts_profile p ON p.user_id = u.id"
    " WHERE t.key = %s"
)
_PERMS_SQL = (
    "SELECT ct.app_label, p.codename FROM auth_permission p"
    " JOIN django_content_type ct ON ct.id = p.content_type_id"
    " WHERE p.id IN ("
    " SELECT up.permission_id FROM auth_user_user_permissions up WHERE up.user_id = %s"
    " UNION SELECT gp.permission_id FROM auth_user_groups ug"
    " JOIN auth_group_permissions gp ON gp.group_id = ug.group_id WHERE ug.user_id = %s)"
)


def _user_from_row(row: tuple) -> User:
    values = dict(zip(_USER_COLUMNS, row[: len(_USER_COLUMNS)], strict=True))
    for name in ("last_login", "date_joined"):
        values[name] = aware(values[name])
    for name in ("is_superuser", "is_staff", "is_active"):
        values[name] = bool(values[name])
    user = User(**values)
    user._state.adding = False
    user._state.db = "default"
    profile_id, party_id, phone = row[len(_USER_COLUMNS) :]
    if profile_id is None:
        # cache "no profile" so the data-scope check does not ask again
        User.profile.related.set_cached_value(user, None)
    else:
        profile = Profile(id=profile_id, user_id=user.pk, party_id=party_id, phone=phone)
        profile._state.adding = False
        profile._state.db = "default"
        User.profile.related.set_cached_value(user, profile)
        Profile.user.field.set_cached_value(profile, user)
    return user


def prime_permissions(user: User) -> None:
    """Load every permission of ``user`` in one read into Django's permission cache."""
    if not user.is_active:
        user._perm_cache = set()
        return
    user._perm_cache = {f"{app}.{code}" for app, code in fetch(_PERMS_SQL, [user.pk, user.pk])}


class TokenAuthentication(DRFTokenAuthentication):
    """``Authorization: Token <key>``, as DRF's, with the user fully loaded."""

    def authenticate_credentials(self, key):
        row = fetch_one(_TOKEN_SQL, [key])
        if row is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        user = _user_from_row(row)
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        prime_permissions(user)
        return (user, key)
