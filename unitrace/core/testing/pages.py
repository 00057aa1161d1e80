"""Reading rendered pages in tests."""

from __future__ import annotations

import re

_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,}")


def without_tokens(html: str) -> str:
    """``html`` without random tokens (CSRF, public unit tokens, signatures).

    A 64-character CSRF token contains any given two-letter code by chance in one page
    of about fifty; a check that a code such as "HQ" is *not* on a page must not see them.
    """
    return _TOKEN.sub("", html)
