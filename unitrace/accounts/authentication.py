"""API token authentication that loads the token, user, data scope and permissions in two reads.

``Authorization: Token <key>`` or ``Authorization: Bearer <key>``. The key is looked up
by its SHA-256 digest (``accounts.tokens``); a revoked or expired token is refused, and
its scope (read-only, limited to apps) is checked against the view being called. The
last use is written at most once per ``API_TOKEN_LAST_USE_INTERVAL`` seconds per token
(one conditional UPDATE, so concurrent workers do not all write), keeping the hot path
at its two reads on almost every request.

DRF's own ``TokenAuthentication`` costs one ORM query for the token, and the role check
then costs two more (user and group permissions) and the data scope a fourth, each
compiled anew per request. Here the token, the user and the profile come in one join
and the permission names in one union, sent as fixed SQL (``core.sql``); the user
object is primed with Django's own permission cache, so ``has_perm`` and the data
scope read what was loaded for this request. Nothing is cached across requests: a
revoked token, a deactivated user or a changed role take effect on the next call.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication as DRFTokenAuthentication
from rest_framework.authentication import get_authorization_header

from unitrace.accounts.models import ApiToken, Profile
from unitrace.accounts.tokens import digest, refusal
from unitrace.core.sql import aware, fetch, fetch_one, json_value

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
    + ", t.id, t.scope, t.apps, t.expires_at, t.revoked_at, t.last_used_at"
    + f" FROM {ApiToken._meta.db_table} t"
    " JOIN auth_user u ON u.id = t.user_id"
    " LEFT JOIN accounts_profile p ON p.user_id = u.id"
    " WHERE t.digest = %s"
)
_TOKEN_COLUMNS = 6
_TOUCH_SQL = (
    f"UPDATE {ApiToken._meta.db_table} SET last_used_at = %s"  # noqa: S608 - model's table
    " WHERE id = %s AND (last_used_at IS NULL OR last_used_at < %s)"
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
    profile_id, party_id, phone = row[len(_USER_COLUMNS) : len(_USER_COLUMNS) + 3]
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


@dataclass(frozen=True)
class TokenAuth:
    """``request.auth`` of a token-authenticated request."""

    id: int
    scope: str
    apps: list[str]
    expires_at: datetime
    last_used_at: datetime | None


def _touch(token: TokenAuth) -> None:
    """Record the token's use unless it was recorded within the interval."""
    interval = timedelta(seconds=int(getattr(settings, "API_TOKEN_LAST_USE_INTERVAL", 60)))
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < interval:
        return
    adapt = connection.ops.adapt_datetimefield_value  # the ORM's own format per database
    with connection.cursor() as cursor:
        cursor.execute(_TOUCH_SQL, [adapt(now), token.id, adapt(now - interval)])


class TokenAuthentication(DRFTokenAuthentication):
    """``Authorization: Token <key>`` or ``Bearer <key>``, with the user fully loaded."""

    keywords = ("token", "bearer")

    def authenticate(self, request):
        auth = get_authorization_header(request).split()
        if not auth or auth[0].lower().decode(errors="replace") not in self.keywords:
            return None
        if len(auth) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        try:
            key = auth[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token header.")) from None
        user, token = self.authenticate_credentials(key)
        context = getattr(request, "parser_context", None) or {}
        why = refusal(token.scope, token.apps, context.get("view"), request)
        if why is not None:
            raise exceptions.PermissionDenied(why)
        return user, token

    def authenticate_credentials(self, key):
        row = fetch_one(_TOKEN_SQL, [digest(key)])
        if row is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        token_id, scope, apps, expires_at, revoked_at, last_used_at = row[-_TOKEN_COLUMNS:]
        token = TokenAuth(
            token_id, scope, json_value(apps) or [], aware(expires_at), aware(last_used_at)
        )
        if revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This token has been revoked."))
        if token.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed(_("This token has expired."))
        user = _user_from_row(row)
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        prime_permissions(user)
        _touch(token)
        return (user, token)
