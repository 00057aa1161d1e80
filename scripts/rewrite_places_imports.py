"""Re-point imports of Warehouse and Bin from ``unitrace.inventory.models`` to
``unitrace.places.models`` (re-runnable after merges: a file already rewritten is left
as it is). Run from the repository root, then ``ruff check --fix`` and ``ruff format``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

MOVED = {"Warehouse", "Bin"}
LINE = re.compile(
    r"^(?P<indent>[ \t]*)from unitrace\.inventory\.models import "
    r"(?:\((?P<block>[^)]*)\)|(?P<names>[^\n(]+))$",
    re.M,
)


def rewrite(text: str) -> str:
    def one(match: re.Match) -> str:
        indent = match["indent"]
        listed = match["block"] if match["block"] is not None else match["names"]
        names = [n.strip() for n in listed.replace("\n", ",").split(",") if n.strip()]
        moved = [n for n in names if n in MOVED]
        if not moved:
            return match[0]
        kept = [n for n in names if n not in MOVED]
        lines = [f"{indent}from unitrace.places.models import {', '.join(moved)}"]
        if kept:
            lines.insert(0, f"{indent}from unitrace.inventory.models import {', '.join(kept)}")
        return "\n".join(lines)

    return LINE.sub(one, text)


def main(root: str = ".") -> int:
    changed = 0
    for path in Path(root).rglob("*.py"):
        if {".venv", "var", "migrations"} & set(path.parts):
            continue
        text = path.read_text()
        new = rewrite(text)
        if new != text:
            path.write_text(new)
            changed += 1
            print(path)
    return changed


if __name__ == "__main__":
    main(*sys.argv[1:])
