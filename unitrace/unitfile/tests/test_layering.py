"""One-way layers: serials knows nothing of warranty, authenticity or the unit file
composed over them; authenticity and warranty know nothing of the unit file."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _imports(app: str) -> dict[str, set[str]]:
    """Every ``unitrace.*`` module imported by the app's code (tests excluded), by file,
    lazy imports inside functions included."""
    found: dict[str, set[str]] = {}
    for path in (ROOT / app).rglob("*.py"):
        if "tests" in path.relative_to(ROOT / app).parts:
            continue
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
        found[str(path.relative_to(ROOT.parent))] = {n for n in names if n.startswith("unitrace.")}
    return found


@pytest.mark.parametrize(
    ("app", "above"),
    [
        ("serials", ("warranty", "authenticity", "unitfile")),
        ("warranty", ("authenticity", "unitfile")),
        ("authenticity", ("unitfile",)),
    ],
)
def test_no_import_reaches_a_layer_above(app, above):
    upward = {
        path: sorted(n for n in names if n.split(".")[1] in above)
        for path, names in _imports(app).items()
    }
    assert {path: names for path, names in upward.items() if names} == {}
