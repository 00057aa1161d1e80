"""Optional TOTP two-factor authentication for staff (``django-otp``).

A staff login (``is_staff``: two-factor applies to staff only) enrols an
authenticator app (TOTP, RFC 6238) on its own page and gets ten single-use recovery
codes (``django_otp`` static tokens). From then on every
session of that login is asked for a code after the password (``TwoFactorMiddleware``)
and the admin site lets it in only with a verified session. With
``OTP_REQUIRED_FOR_SUPERUSERS`` on, a superuser without a device is sent to enrol
before the admin opens. Wrong codes slow down per device (django-otp's throttling).
Enrolment, new recovery codes and turning two-factor off are in the change log (the
secret key and codes as fingerprints only).
"""

from __future__ import annotations

from base64 import b32encode

import segno
from django.conf import settings
from django.db import transaction
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from unitrace.core.audit import log_change, snapshot
from unitrace.core.models import ChangeLog

RECOVERY_CODES = 10
DEVICE_NAME = "authenticator"
RECOVERY_NAME = "recovery"


def may_enrol(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def enrolled(user) -> bool:
    return bool(user.is_authenticated and user.is_staff) and user_has_device(user, confirmed=True)


def verified(user) -> bool:
    return bool(getattr(user, "is_verified", lambda: False)())


def required_for_admin(user) -> bool:
    """Whether the admin site needs a verified session from ``user``."""
    return enrolled(user) or bool(
        user.is_superuser and getattr(settings, "OTP_REQUIRED_FOR_SUPERUSERS", False)
    )


def pending_device(user) -> TOTPDevice:
    """The unconfirmed TOTP device being enrolled (made on first visit)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The key in base32, for typing into an app that cannot scan."""
    return b32encode(device.bin_key).decode().rstrip("=")


def qr_svg(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=4, border=2)


def new_recovery_codes(user) -> list[str]:
    """Replace the login's recovery codes with ten new ones; returns them (shown once)."""
    with transaction.atomic():
        device, _created = StaticDevice.objects.get_or_create(
            user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
        log_change(device, ChangeLog.Action.UPDATE, None, {"id": device.pk, "codes": "new"})
    return codes


def confirm(request, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm enrolment with a first code; returns the recovery codes, or None if wrong."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if not device.verify_token(code.strip()):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        log_change(device, ChangeLog.Action.CREATE)
        codes = new_recovery_codes(device.user)
    otp_login(request, device)
    return codes


def verify(request, code: str) -> bool:
    """Check a code (authenticator or recovery) and mark the session verified."""
    code = "".join(code.split())
    if not code:
        return False
    with transaction.atomic():
        for device in devices_for_user(request.user, for_verify=True):
            if device.verify_token(code):
                otp_login(request, device)
                return True
    return False


def disable(user) -> None:
    """Remove every device of ``user`` (authenticator and recovery codes)."""
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=None):
            before = snapshot(device)
            log_change(device, ChangeLog.Action.DELETE, before, None)
            device.delete()
