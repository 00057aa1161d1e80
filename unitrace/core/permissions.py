"""Deny-by-default permission checks shared by the API and the web views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission


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
        if needed is None:
            return False
        return user.has_perms(needed)


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
