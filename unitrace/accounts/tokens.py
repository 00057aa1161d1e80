"""API tokens: issuing, revoking and what a token's scope lets through.

A token reads ``ut_<prefix>_<secret>``: 8 hex characters shown in lists (``prefix``)
and 43 random URL-safe characters. Only the SHA-256 digest of the whole string is
stored; authentication looks the digest up (``accounts.authentication``). Tokens
issued by DRF's ``authtoken`` before (40 hex characters) were hashed into this table by
migration ``accounts.0004`` and keep working until they expire.

Scope: a ``read`` token may only use safe methods (GET, HEAD, OPTIONS). A token limited
to apps reaches an endpoint only when every permission the action declares in its
view's ``perms_map`` belongs to one of those apps (``serials.view_unit`` → ``serials``);
an action that declares none (public endpoints, your own tokens) belongs to the app of
the view's module. The shared ``core`` endpoints (job status and reports, which show
only your own jobs) are reachable by every token.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.apps import apps as django_apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unitrace.accounts.models import ApiToken
from unitrace.core.audit import log_change, snapshot
from unitrace.core.errors import DomainError
from unitrace.core.models import ChangeLog
from unitrace.core.permissions import required_for

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
ALWAYS_REACHABLE = frozenset({"core"})


class TokenRefused(DomainError):
    code = "token_refused"


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def default_days() -> int:
    return int(getattr(settings, "API_TOKEN_DEFAULT_DAYS", 90))


def max_days() -> int:
    return int(getattr(settings, "API_TOKEN_MAX_DAYS", 365))


def token_apps() -> list[str]:
    """App labels a token may be limited to: the project's own apps."""
    return sorted(a.label for a in django_apps.get_app_configs() if a.name.startswith("unitrace."))


def new_key() -> tuple[str, str]:
    """A fresh secret and its prefix (the part shown in lists)."""
    prefix = "ut_" + secrets.token_hex(4)
    return prefix, f"{prefix}_{secrets.token_urlsafe(32)}"


@dataclass(frozen=True)
class Issued:
    token: ApiToken
    key: str  # the secret, shown once


def issue(
    user,
    name: str,
    *,
    expires_at: datetime | None = None,
    scope: str = ApiToken.Scope.WRITE,
    apps: list[str] | None = None,
) -> Issued:
    """Issue a token for ``user``; the change log records it (never its secret)."""
    now = timezone.now()
    name = (name or "").strip()
    if not name:
        raise TokenRefused(_("A token needs a name."), field="name")
    if expires_at is None:
        expires_at = now + timedelta(days=default_days())
    if expires_at <= now:
        raise TokenRefused(_("The expiry must be in the future."), field="expires_at")
    if expires_at > now + timedelta(days=max_days(), minutes=1):
        raise TokenRefused(
            _("A token may be valid for at most %(days)d days.") % {"days": max_days()},
            field="expires_at",
        )
    if scope not in ApiToken.Scope.values:
        raise TokenRefused(_("Unknown scope."), field="scope")
    apps = sorted(set(apps or []))
    unknown = [a for a in apps if a not in token_apps()]
    if unknown:
        raise TokenRefused(_("Unknown app: %(apps)s.") % {"apps": ", ".join(unknown)}, field="apps")
    prefix, key = new_key()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name[:100],
            prefix=prefix,
            digest=digest(key),
            scope=scope,
            apps=apps,
            expires_at=expires_at,
        )
        log_change(token, ChangeLog.Action.CREATE)
    return Issued(token, key)


def revoke(token: ApiToken, by) -> ApiToken:
    """Revoke ``token`` (idempotent); the change log records who did it."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            return token
        before = snapshot(token)
        token.revoked_at = timezone.now()
        token.revoked_by = by if getattr(by, "pk", None) else None
        token.save(update_fields=["revoked_at", "revoked_by"])
        log_change(token, ChangeLog.Action.UPDATE, before)
    return token


def manageable_by(user):
    """The tokens ``user`` may list and revoke: their own; every one for admins."""
    tokens = ApiToken.objects.select_related("user")
    if user.has_perm("accounts.change_apitoken"):
        return tokens
    return tokens.filter(user=user)


def view_apps(view, request) -> set[str]:
    """The apps an API action belongs to, for app-limited tokens (see the module doc)."""
    needed = required_for(view, request) or []
    labels = {p.split(".", 1)[0] for p in needed}
    if labels:
        return labels
    config = django_apps.get_containing_app_config(type(view).__module__)
    return {config.label} if config is not None else set()


def refusal(scope: str, apps: list[str], view, request) -> str | None:
    """Why a token of this scope may not make this request, or None when it may."""
    if scope != ApiToken.Scope.WRITE and request.method not in SAFE_METHODS:
        return str(_("This token is read-only."))
    if apps and view is not None:
        outside = view_apps(view, request) - set(apps) - ALWAYS_REACHABLE
        if outside:
            return str(_("This token is limited to %(apps)s.") % {"apps": ", ".join(sorted(apps))})
    return None
