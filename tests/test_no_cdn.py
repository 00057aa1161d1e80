"""Intranet deployments have no internet: no collected asset or template may load one."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command

# hosts that serve front-end code or fonts to browsers
CDN = re.compile(
    r"https?://[^\s\"'()]*(cdn|jsdelivr|unpkg|googleapis|gstatic|cloudflare|bootcss|staticfile)",
    re.IGNORECASE,
)


def _offending(root: Path, suffixes: tuple[str, ...]) -> list[str]:
    found = []
    for path in root.rglob("*"):
        if path.is_file() and path.suffix in suffixes:
            match = CDN.search(path.read_text(encoding="utf-8", errors="replace"))
            if match:
                found.append(f"{path.relative_to(root)}: {match.group(0)}")
    return found


def test_collected_static_files_load_nothing_from_a_cdn(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    call_command("collectstatic", interactive=False, verbosity=0)
    assert finders.find("drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js") is None
    assert (tmp_path / "drf_spectacular_sidecar" / "swagger-ui-dist").is_dir()
    assert _offending(tmp_path, (".js", ".css", ".html", ".map")) == []


def test_templates_load_nothing_from_a_cdn():
    root = Path(settings.BASE_DIR) / "unitrace"
    assert _offending(root, (".html",)) == []
