"""`manage.py check --deploy` with the production settings of docs/operations.md is clean."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def documented_production_settings() -> dict[str, str]:
    text = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    block = re.search(
        r"<!-- production-settings -->\s*```sh\n(.*?)```\s*<!-- /production-settings -->",
        text,
        re.S,
    )
    assert block, "docs/operations.md lost its production settings block"
    values = {}
    for line in block.group(1).splitlines():
        name, _, value = line.partition("=")
        if value.startswith("<"):  # a placeholder: what the docs say to generate
            value = secrets.token_urlsafe(50)
        values[name.strip()] = value.strip()
    return values


def test_the_documented_production_settings_pass_the_deploy_checks(tmp_path):
    values = documented_production_settings()
    assert values["DEBUG"] == "0" and values["SECURE_SSL_REDIRECT"] == "1"
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "unitrace.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        **values,
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "no issues" in output
