"""``manage.py check --deploy``: settings that are fine on a laptop but wrong in production.

``PUBLIC_BASE_URL`` starts every link a label's QR code and printed documents carry. Its
default (``http://127.0.0.1:8000``) is right for a laptop; printed in production it
sends every customer who scans a label to their own phone, and labels cannot be
recalled. Admins see the same warning as a banner on every page (``public_url_problem``).
"""

from __future__ import annotations

from ipaddress import ip_address
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.utils.translation import gettext as _

LOCAL_HOSTS = {"localhost", "testserver", ""}


def _local(host: str) -> bool:
    if host in LOCAL_HOSTS or host.endswith(".localhost"):
        return True
    try:
        address = ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_private or address.is_unspecified


def public_url_problem() -> str:
    """Why ``PUBLIC_BASE_URL`` is not fit to print in production, or "" when it is."""
    url = getattr(settings, "PUBLIC_BASE_URL", "")
    parts = urlsplit(url)
    if _local(parts.hostname or ""):
        return _(
            "PUBLIC_BASE_URL is %(url)s, an address only this machine or network reaches: "
            "labels and links printed now will not open for customers. Set PUBLIC_BASE_URL "
            "to the site's public address (e.g. https://trace.example.cn)."
        ) % {"url": url or "-"}
    if parts.scheme != "https":
        return _(
            "PUBLIC_BASE_URL is %(url)s, without HTTPS: phones warn about the printed links. "
            "Set PUBLIC_BASE_URL to the site's https:// address."
        ) % {"url": url}
    return ""


@register(Tags.security, deploy=True)
def check_public_base_url(app_configs, **kwargs) -> list[Warning]:
    problem = public_url_problem()
    if not problem:
        return []
    return [
        Warning(
            problem,
            hint=_("See docs/operations.md, production settings."),
            id="unitrace.W001",
        )
    ]
