"""Chinese section names in the admin for the third-party apps this project installs.

The admin index groups models under their app's ``verbose_name``; the apps below ship
none that is translated into Chinese, so their sections read "Axes", "Otp_Totp" and
"Otp_Static" among the Chinese ones. Each config here subclasses the app's own (its
``ready()`` still runs) and keeps the app's ``name`` and ``label``, so migrations,
permissions and table names are unchanged. ``INSTALLED_APPS`` names these classes
instead of the bare app modules.
"""

from __future__ import annotations

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.apps import DefaultConfig as OTPStaticAppConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as OTPTOTPAppConfig


class AxesConfig(AxesAppConfig):
    """django-axes: failed logins and lockouts."""

    label = "axes"
    verbose_name = _("Login attempts and lockouts")


class OTPTOTPConfig(OTPTOTPAppConfig):
    """django-otp's authenticator-app (TOTP) devices."""

    label = "otp_totp"
    verbose_name = _("Two-factor: authenticator apps")


class OTPStaticConfig(OTPStaticAppConfig):
    """django-otp's one-time backup codes."""

    label = "otp_static"
    verbose_name = _("Two-factor: backup codes")
