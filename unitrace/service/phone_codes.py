"""One-time codes sent to a phone: the public repair page's second factor.

A customer without the label's printed code proves they hold the phone they give: a
6-digit code is sent through ``core.notify`` and typed back. Only a keyed hash is
stored (the code is worthless once the row is read), it expires after
``UNITRACE_PHONE_CODE_MINUTES`` (10) and dies after ``UNITRACE_PHONE_CODE_ATTEMPTS``
(5) wrong tries; asking again replaces the previous code. A wrong try is counted in
its own transaction so that a refused submission cannot roll the count back, and the
right code is spent (``consume``) in the submission's transaction, so a failed
submission leaves it usable and a code opens at most one work order.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from unitrace.core.notify import send_text
from unitrace.service.models import PhoneCode

FIELD = "phone_code"


def lifetime() -> timedelta:
    return timedelta(minutes=int(getattr(settings, "UNITRACE_PHONE_CODE_MINUTES", 10)))


def max_attempts() -> int:
    return int(getattr(settings, "UNITRACE_PHONE_CODE_ATTEMPTS", 5))


def _digest(phone: str, purpose: str, code: str) -> str:
    message = "\x1f".join(["phone-code", phone, purpose, code]).encode("utf-8")
    return hmac.new(settings.SECRET_KEY.encode("utf-8"), message, hashlib.sha256).hexdigest()


def send_code(phone: str, purpose: str, *, when: datetime | None = None) -> PhoneCode:
    """Send a new code to ``phone`` for ``purpose``; earlier unused codes stop working."""
    when = when or timezone.now()
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        PhoneCode.objects.filter(phone=phone, purpose=purpose, used_at__isnull=True).update(
            used_at=when
        )
        row = PhoneCode.objects.create(
            phone=phone,
            purpose=purpose,
            code_hash=_digest(phone, purpose, code),
            expires_at=when + lifetime(),
        )
    minutes = int(lifetime().total_seconds() // 60)
    send_text(
        phone,
        _("Your repair request code is %(code)s (valid %(minutes)d minutes). Do not share it.")
        % {"code": code, "minutes": minutes},
    )
    return row


def verify(phone: str, purpose: str, code: str, *, when: datetime | None = None) -> PhoneCode:
    """The live code row ``code`` matches, or a ``ValidationError`` on ``phone_code``
    saying why (none asked for, expired, too many tries, wrong with tries left)."""
    when = when or timezone.now()
    code = "".join((code or "").split())
    row = (
        PhoneCode.objects.filter(phone=phone, purpose=purpose, used_at__isnull=True)
        .order_by("-created_at", "-id")
        .first()
    )
    if row is None:
        raise ValidationError({FIELD: _("Ask for a code by SMS first, then type it here.")})
    if row.expires_at <= when:
        raise ValidationError({FIELD: _("The code has expired; ask for a new one.")})
    if row.attempts >= max_attempts():
        raise ValidationError({FIELD: _("Too many wrong codes; ask for a new one.")})
    if hmac.compare_digest(row.code_hash, _digest(phone, purpose, code)):
        return row
    with transaction.atomic():
        PhoneCode.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
    left = max_attempts() - row.attempts - 1
    if left <= 0:
        raise ValidationError({FIELD: _("Too many wrong codes; ask for a new one.")})
    raise ValidationError({FIELD: _("The code is wrong; %(n)d tries left.") % {"n": left}})


def consume(row: PhoneCode, when: datetime) -> None:
    """Spend the code inside the caller's transaction; refused if another request did."""
    spent = PhoneCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=when)
    if not spent:
        raise ValidationError({FIELD: _("This code was already used; ask for a new one.")})
