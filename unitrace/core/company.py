"""The manufacturer's brand (``CompanySettings``): read by every public page, label and
delivery note, changed on the settings page by who holds
``core.change_companysettings``.

Reads go through the cache (one row, read on every public page); a change clears it.
The logo is kept in the row (PNG or JPEG, checked with Pillow, at most ``LOGO_MAX``
bytes): it has no file to lose, and the public pages serve it from one URL.
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unitrace.core.audit import log_change, snapshot
from unitrace.core.errors import DomainError
from unitrace.core.models import ChangeLog, CompanySettings

log = logging.getLogger(__name__)
CACHE_KEY = "unitrace:company"
LOGO_MAX = 512 * 1024
LOGO_MAX_SIDE = 2000
LOGO_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}
TEXT_FIELDS = ("name", "address", "hotline", "website")


class CompanyRefused(DomainError):
    code = "invalid_company"
    default_message = gettext_lazy("These company settings are not valid.")


@dataclass(frozen=True)
class Brand:
    """What a page or a document prints of the company (cached, picklable)."""

    name: str = ""
    address: str = ""
    hotline: str = ""
    website: str = ""
    has_logo: bool = False
    version: str = ""  # changes with every save: the logo URL's cache buster


def _brand(row: CompanySettings | None) -> Brand:
    if row is None:
        return Brand()
    return Brand(
        row.name,
        row.address,
        row.hotline,
        row.website,
        bool(row.logo),
        row.updated_at.strftime("%Y%m%d%H%M%S%f") if row.updated_at else "",
    )


def brand() -> Brand:
    """The company's brand as pages and documents show it (empty until it is set)."""
    try:
        cached = cache.get(CACHE_KEY)
    except Exception:  # a cache outage costs a query, not the page
        cached = None
    if isinstance(cached, Brand):
        return cached
    value = _brand(
        CompanySettings.objects.defer("logo").filter(pk=CompanySettings.SINGLETON).first()
    )
    try:
        cache.set(CACHE_KEY, value, 3600)
    except Exception:
        log.warning("company settings not cached", exc_info=True)
    return value


def logo() -> tuple[bytes, str] | None:
    """The logo's bytes and content type, or None."""
    row = CompanySettings.objects.filter(pk=CompanySettings.SINGLETON).first()
    if row is None or not row.logo:
        return None
    return bytes(row.logo), row.logo_type


def check_logo(data: bytes) -> str:
    """The content type of an acceptable logo; refused with the reason otherwise."""
    from PIL import Image, UnidentifiedImageError

    if len(data) > LOGO_MAX:
        raise CompanyRefused(
            _("The logo is larger than %(kb)d KB.") % {"kb": LOGO_MAX // 1024}, field="logo"
        )
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise CompanyRefused(_("The logo is not a PNG or JPEG image."), field="logo") from exc
    if kind not in LOGO_TYPES:
        raise CompanyRefused(_("The logo is not a PNG or JPEG image."), field="logo")
    if max(width, height) > LOGO_MAX_SIDE:
        raise CompanyRefused(
            _("The logo is larger than %(px)d pixels on a side.") % {"px": LOGO_MAX_SIDE},
            field="logo",
        )
    return LOGO_TYPES[kind]


def _snapshot(row: CompanySettings) -> dict:
    """The row as the change log keeps it: the logo as a fingerprint, not its bytes."""
    data = snapshot(row)
    data["logo"] = hashlib.sha256(bytes(row.logo)).hexdigest()[:16] if row.logo else ""
    return data


@transaction.atomic
def save_company(
    *, values: dict[str, str], logo: bytes | None = None, remove_logo: bool = False
) -> CompanySettings:
    """Change the company settings (logged in the change log); the cache is cleared."""
    row, created = CompanySettings.objects.select_for_update().get_or_create(
        pk=CompanySettings.SINGLETON
    )
    before = None if created else _snapshot(row)
    for name in TEXT_FIELDS:
        if name in values:
            setattr(row, name, values[name].strip())
    if logo is not None:
        row.logo_type = check_logo(logo)
        row.logo = logo
    elif remove_logo:
        row.logo, row.logo_type = None, ""
    row.save()
    action = ChangeLog.Action.CREATE if created else ChangeLog.Action.UPDATE
    log_change(row, action, before, _snapshot(row))
    # now (this transaction reads the new row) and once committed (a reader in between
    # may have cached the old one)
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))
    return row
