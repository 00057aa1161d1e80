"""Hash chains over the append-only records (unit events, change-log entries).

Each record carries ``hash = HMAC-SHA256(key, prev + "\\n" + payload)`` as 64 lowercase
hex digits, where ``prev`` is the hash of the record before it in the same *stream*
(``""`` for the first) and ``payload`` is the record's canonical serialization:

* a JSON array of the record's fields in a fixed order (listed by each stream:
  ``serials.chain.EVENT_FIELDS``, ``core.audit.CHANGELOG_FIELDS``), encoded as UTF-8,
  no insignificant whitespace (``separators=(",", ":")``), non-ASCII kept as is
  (``ensure_ascii=False``) and object keys sorted (``sort_keys=True``);
* moments as UTC text with microseconds, ``2026-12-03T08:15:00.123456Z``;
* IP addresses in their compressed form (``ipaddress``), so PostgreSQL's ``inet``
  text and the value the request carried compare equal;
* foreign keys as their integer id, NULL and missing values as ``null``, text as is.

The key comes from ``UNITRACE_AUDIT_KEY`` (environment), not from the database: with
a plain SHA-256 chain whoever can write to the tables can also recompute every hash
after the edit, so the chain would only catch careless edits. With the key kept
outside the database, an edit behind the application's back cannot be re-sealed. An
empty key still gives a working chain (HMAC with an empty key), i.e. plain evidence
against accidental edits; production sets the key (``docs/operations.md``).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
from datetime import UTC, datetime
from typing import Any

from django.conf import settings

GENESIS = ""


def _key() -> bytes:
    return (getattr(settings, "UNITRACE_AUDIT_KEY", "") or "").encode("utf-8")


def moment(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def address(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return ipaddress.ip_address(str(value)).compressed
    except ValueError:
        return str(value)


def dumps(values: list[Any]) -> str:
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


_keyed: dict[bytes, hmac.HMAC] = {}


def keyed() -> hmac.HMAC:
    """The HMAC with the key and nothing else: copy it per record (pads computed once)."""
    key = _key()
    base = _keyed.get(key)
    if base is None:
        base = _keyed[key] = hmac.new(key, digestmod=hashlib.sha256)
    return base


def sealer(prev: str):
    """An HMAC already fed with ``prev + "\\n"``: copy it and add the payload."""
    mac = keyed().copy()
    mac.update(prev.encode("ascii") + b"\n")
    return mac


def seal(prev: str, payload: str) -> str:
    mac = sealer(prev)
    mac.update(payload.encode("utf-8"))
    return mac.hexdigest()


class Break:
    """The first record of a stream that does not match: which, and why."""

    def __init__(self, stream: str, record_id: int | None, reason: str):
        self.stream = stream
        self.record_id = record_id
        self.reason = reason

    def __str__(self) -> str:
        where = f"#{self.record_id}" if self.record_id is not None else ""
        return f"{self.stream} {where}: {self.reason}".replace("  ", " ")

    def __repr__(self) -> str:
        return f"Break({self.stream!r}, {self.record_id!r}, {self.reason!r})"
