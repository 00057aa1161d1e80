"""Logins in the audit trail: django-axes' database handler, plus a change-log entry.

django-axes already calls its handler for every login, failed login and logout on every
login path (web, admin, the API's token login); this handler keeps axes' own records
(the counters behind the lockout, its access logs) and adds the entry auditors read at
``/audit/``, so logins sit in the same tamper-evident chain as every other change.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler

from unitrace.core.audit import log_event
from unitrace.core.models import ChangeLog


def _user_field(credentials: dict | None) -> str:
    return str((credentials or {}).get("username", ""))[:150]


class AuditedAxesHandler(AxesDatabaseHandler):
    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        log_event(
            ChangeLog.Action.LOGIN_FAILED,
            username=_user_field(credentials),
            object_type="auth.user",
            object_repr=_user_field(credentials),
            details={"locked_out": bool(getattr(request, "axes_locked_out", False))},
        )

    def user_logged_in(self, sender, request, user, **kwargs):
        super().user_logged_in(sender, request, user, **kwargs)
        log_event(
            ChangeLog.Action.LOGIN,
            user=user,
            object_type="auth.user",
            object_id=user.pk,
            object_repr=user.get_username(),
            details={"session": getattr(request, "session", None) is not None},
        )

    def user_logged_out(self, sender, request, user, **kwargs):
        super().user_logged_out(sender, request, user, **kwargs)
        if user is not None:
            log_event(
                ChangeLog.Action.LOGOUT,
                user=user,
                object_type="auth.user",
                object_id=user.pk,
                object_repr=user.get_username(),
            )
