"""Secrets derived from a unit: the code printed on its label and its signed QR link.

Verification must not let anyone walk through serial numbers: a serial alone proves
nothing, because serials follow a visible pattern. What proves possession of the label
is one of three things nobody can compute without ``VERIFICATION_SECRET``:

* the unit's random ``public_token`` (the QR code of our own public page);
* a short code printed next to the serial (``verification_code``), 8 symbols of
  ``RANDOM_ALPHABET`` = 40 bits, typed by hand when the QR code is unreadable;
* the signature ``?s=`` appended to the GS1 Digital Link (``signed_digital_link``).

Codes are derived with HMAC-SHA256 over (SKU id, serial), so nothing is stored and a
label can be reprinted at any time. Client networks are hashed with the same key:
the raw IP address is never stored.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress

from unitrace.authenticity.conf import verification_secret
from unitrace.codes.rendering import RANDOM_ALPHABET

CODE_LENGTH = 8
SIGNATURE_LENGTH = 12
SIGNATURE_PARAMETER = "s"
_SEPARATOR = "\x1f"
_IGNORED_IN_CODES = str.maketrans("", "", " -_.")


def _mac(purpose: str, *parts: object) -> bytes:
    message = _SEPARATOR.join([purpose, *(str(p) for p in parts)]).encode("utf-8")
    return hmac.new(verification_secret(), message, hashlib.sha256).digest()


def _symbols(raw: bytes, length: int) -> str:
    # 32 symbols: ``byte & 31`` maps every byte value evenly, no modulo bias.
    return "".join(RANDOM_ALPHABET[b & 31] for b in raw[:length])


def code_for(sku_id: int, serial: str) -> str:
    return _symbols(_mac("code", sku_id, serial), CODE_LENGTH)


def verification_code(unit) -> str:
    """The code to print on the unit's label next to its serial (e.g. ``K7P3-XQ9M``)."""
    return code_for(unit.sku_id, unit.serial)


def format_code(code: str) -> str:
    """Group in fours for printing; ``normalize_code`` removes the dash again."""
    return f"{code[:4]}-{code[4:]}" if len(code) == CODE_LENGTH else code


def normalize_code(text: str) -> str:
    return (text or "").translate(_IGNORED_IN_CODES).upper()[:64]


def signature_for(sku_id: int, serial: str) -> str:
    return _symbols(_mac("link", sku_id, serial), SIGNATURE_LENGTH)


def link_signature(unit) -> str:
    return signature_for(unit.sku_id, unit.serial)


def signed_digital_link(unit) -> str:
    """The URI for the label's QR code: GS1 Digital Link plus ``?s=<signature>``.

    GS1 scanners ignore the non-numeric query parameter and still read GTIN and serial;
    our verification accepts the link as proof of the label. Without a GTIN the label
    carries the public page URL, whose random token is proof already.
    """
    from django.conf import settings

    from unitrace.codes.gs1 import digital_link_uri

    if not unit.sku.gtin:
        return f"{settings.PUBLIC_BASE_URL}/u/{unit.public_token}"
    uri = digital_link_uri(settings.DIGITAL_LINK_BASE_URL, unit.sku.gtin, unit.serial)
    return f"{uri}?{SIGNATURE_PARAMETER}={link_signature(unit)}"


def same(expected: str, given: str) -> bool:
    """Constant-time comparison: the answer's timing must not reveal matching symbols."""
    return hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8"))


def secret_digest(value: str) -> str:
    """Keyed hash of a presented credential, stored instead of the credential itself."""
    return hmac.new(verification_secret(), value.encode("utf-8"), hashlib.sha256).hexdigest()


def client_network(ip: str | None) -> str:
    """The client's network: /24 for IPv4, /48 for IPv6 (one household or office)."""
    if not ip:
        return ""
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return ""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def network_hash(ip: str | None) -> str:
    network = client_network(ip)
    return secret_digest(f"net{_SEPARATOR}{network}")[:32] if network else ""
