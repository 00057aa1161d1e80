"""Text people and machines send us: what no input may contain.

PostgreSQL cannot store a NUL character (``\\x00``) in text, and a lone UTF-16 surrogate
cannot even be encoded for it; the other control characters are never typed by people
and only corrupt what is shown or exported. One rule, applied where input enters (the
API's body parsers, every query string, the pages' form posts; see
:mod:`unitrace.core.parsers` and :class:`unitrace.core.middleware.InputTextMiddleware`):

* refused: the C0 control characters, DEL and lone surrogates;
* allowed: tab, line feed and carriage return (multi-line text and pasted lists), and
  the GS1 group separator ``\\x1d`` (FNC1, which barcode scanners send inside codes).

Input is checked before it is known which field it is meant for, so tab and line breaks
are allowed in every field; a single-line field that must not contain them says so
itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_lazy as _

FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1c\x1e\x1f\x7f\ud800-\udfff]")

MESSAGE = _("Control characters (such as NUL) are not allowed.")
CODE = "control_character"


def has_forbidden(text: str) -> bool:
    """True when ``text`` holds a character no input may contain."""
    return FORBIDDEN.search(text) is not None


def forbidden_paths(data: Any, path: str = "") -> Iterator[str]:
    """The paths (``lines.0.serial``) of parsed input whose text or key is refused.

    Walks dicts, lists and query dicts (every value of a repeated key) without recursion,
    so it is safe on any depth the parser allowed.
    """
    stack: list[tuple[str, Any]] = [(path, data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str):
            if has_forbidden(value):
                yield where
        elif isinstance(value, dict):
            getlist = getattr(value, "getlist", None)
            for key in reversed(list(value)):
                name = str(key)
                at = f"{where}.{name}" if where else name
                if has_forbidden(name):
                    yield at
                    continue
                items = getlist(key) if getlist else [value[key]]
                stack.extend((at, item) for item in reversed(items))
        elif isinstance(value, list | tuple):
            stack.extend(
                (f"{where}.{index}" if where else str(index), item)
                for index, item in reversed(list(enumerate(value)))
            )
