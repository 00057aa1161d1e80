#!/usr/bin/env bash
# Everything `make test` checks, in order; stops at the first failure.
#
#   ruff check, ruff format --check, lint-imports (the layer contracts in
#   pyproject.toml), manage.py check, makemigrations --check,
#   pytest on SQLite (all tests, browser tests included), then pytest on PostgreSQL
#   (all but the browser tests) when a server is reachable. Both pytest passes include
#   the schemathesis run against the OpenAPI schema (tests/test_api_fuzz.py, marker fuzz).
#
# PG_TEST_URL selects the PostgreSQL server (the test database is created as
# test_<name>). Without a server the PostgreSQL pass is skipped with a notice, except
# under CI=true, where it is required.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

VENV=${VENV:-.venv}
PY="$VENV/bin/python"
PG_URL=${PG_TEST_URL:-postgres://postgres@127.0.0.1:5432/unitrace}

step() { printf '\n==> %s\n' "$*"; }

# run_pytest DB_URL [pytest args]: the tests pick their database from TEST_DATABASE_URL
# only (empty = SQLite in memory), never from a DATABASE_URL or settings module
# exported for the application.
run_pytest() {
	local db_url=$1
	shift
	if [[ -n $db_url ]]; then
		env -u DATABASE_URL -u DJANGO_SETTINGS_MODULE TEST_DATABASE_URL="$db_url" \
			"$PY" -m pytest "$@"
	else
		env -u DATABASE_URL -u DJANGO_SETTINGS_MODULE -u TEST_DATABASE_URL "$PY" -m pytest "$@"
	fi
}

pg_reachable() {
	"$PY" - "$PG_URL" <<'PYTHON'
import sys
from urllib.parse import urlsplit

import psycopg

url = urlsplit(sys.argv[1])._replace(path="/postgres").geturl()
try:
    psycopg.connect(url, connect_timeout=3).close()
except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
    print(f"    {type(exc).__name__}: {str(exc).strip()}", file=sys.stderr)
    sys.exit(1)
PYTHON
}

step "ruff check"
"$VENV/bin/ruff" check .
step "ruff format --check"
"$VENV/bin/ruff" format --check .
step "lint-imports (layer contracts)"
"$VENV/bin/lint-imports"
step "manage.py check"
"$PY" manage.py check
step "manage.py makemigrations --check --dry-run"
"$PY" manage.py makemigrations --check --dry-run
step "pytest on SQLite (all tests, browser tests included)"
run_pytest ""

safe_url=$(printf '%s' "$PG_URL" | sed -E 's#://([^:@/]+):[^@/]*@#://\1:***@#')
step "pytest on PostgreSQL ($safe_url), browser tests excluded"
if pg_reachable; then
	run_pytest "$PG_URL" -m "not browser"
elif [[ ${CI:-} == true ]]; then
	echo "ERROR: PostgreSQL not reachable at $safe_url; CI requires the PostgreSQL pass." >&2
	echo "Start PostgreSQL or point PG_TEST_URL at a server that is running." >&2
	exit 1
else
	echo "PostgreSQL not reachable: skipped the PostgreSQL pass"
fi
