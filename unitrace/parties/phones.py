"""Phone numbers as people type them, in the two forms the app keeps.

* :func:`normalize_phone` — any phone of a party's record (mobile or landline such as
  ``0571-88886666``): spaces and brackets go, so "138 1234 1234" and "13812341234" are
  the same number; the model's validator then judges it.
* :func:`normalize_mobile` — a Chinese mobile number the public types (activation,
  verification): spaces, dashes, brackets and a +86/0086/86 prefix go, and anything
  but 11 digits starting 13–19 is refused with an example.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_PHONE_NOISE = re.compile(r"[\s()（）]+")
_MOBILE_NOISE = re.compile(r"[\s\-()（）]")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def normalize_phone(phone: str) -> str:
    """``138 1234 1234`` → ``13812341234``; ``(0571) 8888-6666`` → ``05718888-6666``."""
    return _PHONE_NOISE.sub("", phone or "")


def normalize_mobile(raw: str) -> str:
    """``+86 138-1234-1234`` → ``13812341234``; anything else is refused with an example."""
    digits = _MOBILE_NOISE.sub("", raw or "")
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) == 11 + len(prefix):
            digits = digits[len(prefix) :]
            break
    if not _MOBILE.match(digits):
        raise ValidationError(
            _("Enter an 11-digit Chinese mobile number starting with 1, e.g. 13812345678."),
            code="phone",
        )
    return digits
