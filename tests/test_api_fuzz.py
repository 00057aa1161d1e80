"""Schemathesis against the OpenAPI schema: no input gives a 5xx or an off-schema answer.

Every operation of ``/api/schema/`` is called in-process (WSGI, no server) with
generated input, valid and invalid, as two logins: an administrator (who may write
everything) and a distributor (whose data scope is one partner). The database holds a
small demo company (``seed_demo``), so ids in paths also hit real rows. Each example
runs in a transaction that is rolled back, so a write never leaks into the next one.
The id sequences are reset before the seed (PostgreSQL keeps counting across
rolled-back tests), so the seeded ids, and with them the cases, do not depend on which
tests ran before.

Checks per response: not a server error; status code, content type and body as the
schema documents them; every 4xx in the one error body ``{code, detail, field, rows}``.

Bounded and repeatable: ``FUZZ_EXAMPLES`` examples per operation (25 by default),
derandomized, without Hypothesis' example database. Run it alone with
``pytest -m fuzz``; the rest of the suite without it with ``-m "not fuzz"``.
"""

from __future__ import annotations

import os
import re
import traceback
import warnings
from dataclasses import dataclass

import pytest
import schemathesis
from django.apps import apps as django_apps
from django.core.signals import got_request_exception, request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests import factories as f
from unitrace.core.testing.sequences import reset_sequences

# django_db also makes pytest-django create the test database for this module
pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
# A file to append to: one line per call (operation, status) and per failure (operation,
# check, first line of the cause).
REPORT = os.environ.get("FUZZ_REPORT", "")
DEMO_UNITS = 40

# ---------------------------------------------------------------------------------------
# Known failures, fixed on another branch of the same change. Each entry is
# (operation regex, check, what the failure says); a failure that matches an entry is
# reported as a warning instead of failing the test. Delete the list (and this comment)
# once those fixes are merged: the harness must then pass without it.
# ---------------------------------------------------------------------------------------
SCHEMA = "response_schema_conformance"  # its text is matched against each schema location
KNOWN_FAILURES: list[tuple[str, str, str]] = []


@dataclass(frozen=True)
class Finding:
    operation: str
    check: str
    message: str

    def line(self) -> str:
        lines = [x.strip() for x in self.message.splitlines() if x.strip()]
        cause = next((x for x in reversed(lines) if re.match(r"^[\w.]+(Error|Exception):", x)), "")
        titles = [x.lstrip("|+- ") for x in lines if re.match(r"^[|+ ]*- ", x)]
        status = next((x.lstrip("| ") for x in lines if re.match(r"^[| ]*\[\d{3}\]", x)), "")
        return f"{self.operation}\t{self.check}\t{cause or '; '.join(titles)}\t{status}"[:400]

    def known(self) -> bool:
        return any(self.matches(*entry) for entry in KNOWN_FAILURES)

    def matches(self, operation: str, check: str, text: str) -> bool:
        if not re.search(operation, self.operation) or check not in ("*", self.check):
            return False
        if check == SCHEMA:  # every violation at a known place, none elsewhere
            places = set(re.findall(r"Schema at (\S+?):", self.message)) or {""}
            return all(re.search(text, place) for place in places)
        return bool(re.search(text, self.message))


def error_body_shape(ctx, response, case) -> bool | None:
    """Every 4xx of the API answers in the one error body ``{code, detail, field, rows}``."""
    if not 400 <= response.status_code < 500:
        return None
    try:
        body = response.json()
    except ValueError:
        raise AssertionError(f"{response.status_code} without a JSON error body") from None
    ok = (
        isinstance(body, dict)
        and isinstance(body.get("code"), str)
        and isinstance(body.get("detail"), str)
        and (body.get("field") is None or isinstance(body.get("field"), str))
        and isinstance(body.get("rows"), list)
    )
    if not ok:
        raise AssertionError(f"{response.status_code} not in the one error body: {body!r}")
    return True


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    error_body_shape,
]

CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 2026,
        "generation": {
            "mode": "all",
            "max-examples": EXAMPLES,
            "deterministic": True,
            "database": "none",
        },
        # examples and fuzzing only: the coverage phase would add hundreds of cases per
        # operation and the stateful phase runs outside pytest's parametrization
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    }
)

app = get_wsgi_application()
schema = schemathesis.openapi.from_wsgi("/api/schema/", app, config=CONFIG)

# Ids of rows in the seeded database (filled by the fixture), so ids in paths hit rows too.
REAL_IDS: list[int] = []


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Half of the cases with integer ids in the path get ids of rows that exist."""
    ints = [k for k, v in (path_parameters or {}).items() if type(v) is int]
    if not ints or not REAL_IDS:
        return st.just(path_parameters)
    real = st.fixed_dictionaries({k: st.sampled_from(REAL_IDS) for k in ints})
    return st.one_of(st.just(path_parameters), real.map(lambda ids: {**path_parameters, **ids}))


def seeded_ids() -> list[int]:
    """The first ids of every table of the project's own models with an integer key."""
    ids: set[int] = set()
    for model in django_apps.get_models():
        if model.__module__.startswith("unitrace.") and model._meta.pk.get_internal_type() in (
            "AutoField",
            "BigAutoField",
        ):
            ids.update(model.objects.order_by("pk").values_list("pk", flat=True)[:20])
    return sorted(ids)


@pytest.fixture(scope="module")
def fuzz_tokens(django_db_setup, django_db_blocker):
    """The demo company in one transaction for the whole module, rolled back at its end.

    Returns the ``Authorization`` headers of the two logins: ``admin`` (may write) and
    ``distributor`` (data-scoped to one partner).
    """
    from unitrace.demo.seed import seed_demo

    # As Django's test client does: a request must not close the test's connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            reset_sequences()  # the same seed gets the same ids, whatever ran before
            seed_demo(units=DEMO_UNITS)
            REAL_IDS[:] = seeded_ids()
            from django.contrib.auth import get_user_model

            users = get_user_model().objects
            headers = {}
            for role in ("admin", "distributor"):
                client = f.token_client(users.get(username=role))
                headers[role] = client._credentials["HTTP_AUTHORIZATION"]
            yield headers
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


_warned: set[tuple[str, str]] = set()


def call_and_check(case, authorization: str) -> None:
    """One example: the call (rolled back afterwards) and every check on its answer."""
    tracebacks: list[str] = []

    def keep_traceback(sender, request=None, **kwargs):
        tracebacks.append(traceback.format_exc(limit=-8))

    got_request_exception.connect(keep_traceback)
    try:
        with transaction.atomic():
            response = case.call(headers={"Authorization": authorization})
            transaction.set_rollback(True)
    finally:
        got_request_exception.disconnect(keep_traceback)
    operation = f"{case.method.upper()} {case.path}"
    if REPORT:
        with open(REPORT, "a", encoding="utf-8") as out:
            out.write(f"CALL\t{operation}\t{response.status_code}\n")
    failures = []
    for check in CHECKS:
        try:
            case.validate_response(response, checks=[check])
        except (FailureGroup, AssertionError) as exc:
            message = str(exc) + "".join(tracebacks)
            failures.append((Finding(operation, check.__name__, message), exc))
    if REPORT and failures:
        with open(REPORT, "a", encoding="utf-8") as out:
            for finding, _exc in failures:
                out.write(finding.line() + "\n")
    unknown = [exc for finding, exc in failures if not finding.known()]
    for finding, _exc in failures:
        if finding.known() and (finding.operation, finding.check) not in _warned:
            _warned.add((finding.operation, finding.check))
            warnings.warn(f"known failure: {finding.operation} {finding.check}", stacklevel=1)
    if unknown:
        if tracebacks:
            raise AssertionError(tracebacks[-1]) from unknown[0]
        raise unknown[0]


FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=False,
    suppress_health_check=list(HealthCheck),
    # no shrinking: the run stays bounded; the report names the failing input anyway
    phases=[Phase.explicit, Phase.generate],
)


@schema.parametrize()
@FUZZ_SETTINGS
def test_api_as_admin(case, fuzz_tokens):
    call_and_check(case, fuzz_tokens["admin"])


@schema.parametrize()
@FUZZ_SETTINGS
def test_api_as_distributor(case, fuzz_tokens):
    call_and_check(case, fuzz_tokens["distributor"])
