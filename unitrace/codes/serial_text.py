"""Whether a text can be a serial at all, whatever the SKU's rule.

GS1 AI (21) and GB/T 33993 allow at most 20 characters from GS1's set, minus the
characters GB/T 33993 excludes. A long numeric serial that Excel turned into
``1.23457E+11`` is refused by name. :class:`SerialFormatError` carries a ``code`` that
importers and reports count and filter by.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from unitrace.core.errors import DomainError

MAX_SERIAL_LENGTH = 20  # GS1 AI (21) and GB/T 33993
GS1_AI21_CHARS = frozenset(
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
)
GBT33993_EXCLUDED = frozenset("%&/<>?")


class SerialFormatError(DomainError, ValueError):
    """A serial is not acceptable; ``code`` lets callers count or filter errors by kind."""

    code = "invalid_serial"

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message, code=code)


def _show(c: str) -> str:
    return f"'{c}'" if c.isprintable() and not c.isspace() else f"U+{ord(c):04X}"


_EXCEL_MANGLED = re.compile(r"^\d(\.\d+)?E\+\d+$", re.IGNORECASE)


def check_serial_text(serial: str, max_length: int = MAX_SERIAL_LENGTH) -> None:
    """Raise :class:`SerialFormatError` unless ``serial`` can go into a GS1 (21) / GB/T field.

    A long numeric serial that Excel showed as ``1.23457E+11`` is refused by name: its
    digits are gone, and registering the rounded text would create a unit nobody owns.
    """
    if not serial or not serial.strip():
        raise SerialFormatError("empty", _("The serial is empty."))
    if _EXCEL_MANGLED.match(serial):
        raise SerialFormatError(
            "excel_number",
            _(
                "'%(serial)s' was turned into a number by Excel and its digits are lost; "
                "format the column as text and export again"
            )
            % {"serial": serial},
        )
    if serial != serial.strip():
        raise SerialFormatError(
            "whitespace",
            _("'%(serial)s' starts or ends with a space or line break.") % {"serial": serial},
        )
    if len(serial) > max_length:
        raise SerialFormatError(
            "too_long",
            _("'%(serial)s' has %(n)d characters; at most %(max)d are allowed.")
            % {"serial": serial, "n": len(serial), "max": max_length},
        )
    for pos, c in enumerate(serial, 1):
        args = {"serial": serial, "pos": pos, "char": _show(c)}
        if c in GBT33993_EXCLUDED:
            raise SerialFormatError(
                "excluded_char",
                _(
                    "Character %(pos)d of '%(serial)s' is %(char)s, which GB/T "
                    "33993 excludes from serials (%(list)s)."
                )
                % {**args, "list": " ".join(sorted(GBT33993_EXCLUDED))},
            )
        if c not in GS1_AI21_CHARS:
            hint = ""
            if 0xFF01 <= ord(c) <= 0xFF5E or c == "\u3000":
                hint = _(" (a full-width character: switch the input method to half-width)")
            raise SerialFormatError(
                "bad_char",
                _(
                    "Character %(pos)d of '%(serial)s' is %(char)s, which GS1 does not "
                    "allow in serials%(hint)s."
                )
                % {**args, "hint": hint},
            )
