"""PostgreSQL COPY for the bulk writes: rows stream in as text, far faster than INSERTs.

Used where thousands of rows go in at once (registering units, a receipt's or a
delivery's events). Rows are sent in blocks so the server works while the next block
is built; a constraint violation surfaces as Django's ``IntegrityError``, as it would
from any other query, so callers can catch it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.db import connection

COPY_BLOCK = 5000
_SPECIAL = re.compile(r"[\\\t\n\r]")


def copy_text(value: object) -> str:
    """One value in COPY's text format (``\\N`` for NULL, escapes only when needed)."""
    if value is None:
        return "\\N"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    text = str(value)
    if _SPECIAL.search(text) is None:
        return text
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def needs_escaping(text: str) -> bool:
    return _SPECIAL.search(text) is not None


def copy_lines(table: str, columns: Sequence[str], lines: Iterable[str]) -> None:
    """COPY ready-made text lines (each ending in a newline) into ``table``."""
    with connection.cursor() as cursor, connection.wrap_database_errors:
        raw = cursor.cursor  # psycopg 3 cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            block: list[str] = []
            for line in lines:
                block.append(line)
                if len(block) >= COPY_BLOCK:
                    copy.write("".join(block))
                    block.clear()
            if block:
                copy.write("".join(block))


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """COPY rows of Python values into ``table``."""
    copy_lines(table, columns, ("\t".join(map(copy_text, row)) + "\n" for row in rows))
