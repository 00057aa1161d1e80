"""Deny-by-default permission checks shared by the API and the web views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission


def log_denial(request, surface: str, needed: list[str] | None = None) -> None:
    """Record a signed-in user's refused request in the change log (``denied``).

    The one call for every refusal: the API's ``RolePermission`` and the pages'
    ``PermissionDenied`` (``core.middleware``). Anonymous requests are not denials but
    missing logins, and are not written.
    """
    from unitrace.core.audit import log_event
    from unitrace.core.models import ChangeLog

    user = getattr(request, "user", None)
    if not (user is not None and user.is_authenticated):
        return
    path = request.path[:150]
    log_event(
        ChangeLog.Action.DENIED,
        user=user,
        object_type=surface,
        object_id=request.method,
        object_repr=f"{request.method} {path}",
        details={"path": request.get_full_path()[:500], "needs": needed or []},
    )


def required_for(view, request) -> list[str] | None:
    """The permissions a view's current action needs; None means "not declared"."""
    perms_map: dict[str, str | list[str]] = getattr(view, "perms_map", {}) or {}
    action = getattr(view, "action", None) or request.method.lower()
    needed = perms_map.get(action)
    if needed is None:
        needed = perms_map.get(request.method.lower())
    if needed is None:
        return None
    return [needed] if isinstance(needed, str) else list(needed)


class RolePermission(BasePermission):
    """Allows an action only when the view declares its permission and the user holds it.

    An action without a declared permission is refused, so forgetting to declare one
    fails closed. Public endpoints opt out explicitly with ``AllowAny``.
    """

    message = "You do not have permission to perform this action."

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        needed = required_for(view, request)
        if needed is not None and user.has_perms(needed):
            return True
        log_denial(request, "api", needed)
        return False


def needs(*perms: str) -> Callable:
    """A page's guard: log in first; then 403 unless the user holds every permission."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perms(perms):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
