"""Who is acting, from where: set once per request (or job), read by every write.

A contextvar rather than a thread-local so that the same code works in threads,
Celery workers and the in-process job runner.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    user_id: int | None = None
    username: str = ""
    ip_address: str | None = None
    user_agent: str = ""
    request_id: str = ""
    source: str = "system"  # web, api, job, command, public


_current: ContextVar[Actor] = ContextVar("unitrace_actor", default=Actor())  # noqa: B039 (frozen)


def current_actor() -> Actor:
    return _current.get()


@contextlib.contextmanager
def acting_as(actor: Actor) -> Iterator[Actor]:
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)


def actor_for_user(user, *, ip: str | None = None, source: str = "system", ua: str = "") -> Actor:
    authenticated = bool(user is not None and getattr(user, "is_authenticated", False))
    return Actor(
        user_id=user.pk if authenticated else None,
        username=user.get_username() if authenticated else "",
        ip_address=ip,
        user_agent=ua[:300],
        request_id=uuid.uuid4().hex,
        source=source,
    )
