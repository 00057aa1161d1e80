"""Text messages to a phone (SMS), through one pluggable sender.

``UNITRACE_TEXT_SENDER`` names a class with ``send(phone, message)``: the default,
``LogSender``, writes the message to the ``unitrace.notify`` log (development, and any
deployment that has not chosen a gateway yet); ``MemorySender`` keeps messages in
``outbox`` for tests, like Django's ``mail.outbox``. A deployment plugs in its SMS
gateway's client with a class of its own; callers only ever call :func:`send_text`.
"""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger("unitrace.notify")
outbox: list[tuple[str, str]] = []  # MemorySender's messages: (phone, text)


class TextSender(Protocol):
    def send(self, phone: str, message: str) -> None: ...


class LogSender:
    """Development: the message goes to the log (the console under runserver)."""

    def send(self, phone: str, message: str) -> None:
        log.info("text to %s: %s", phone, message)


class MemorySender:
    """Tests: messages are kept in ``unitrace.core.notify.outbox``."""

    def send(self, phone: str, message: str) -> None:
        outbox.append((phone, message))


def sender() -> TextSender:
    path = getattr(settings, "UNITRACE_TEXT_SENDER", "unitrace.core.notify.LogSender")
    return import_string(path)()


def send_text(phone: str, message: str) -> None:
    sender().send(phone, message)
