"""The one error body: domain refusals and DRF's own errors answer in the same shape."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, serializers

from unitrace.core.api import exception_handler
from unitrace.core.errors import DomainError, RowError, error_report

SHAPE = {"code", "detail", "field", "rows"}


class Conflict(DomainError):
    code = "busy"
    status = 409
    default_message = gettext_lazy("Invalid input.")


def render(exc):
    response = exception_handler(exc, {})
    assert set(response.data) - {"meta"} == SHAPE
    return response


def test_domain_error_carries_code_status_field_and_rows():
    rows = [RowError(3, field="serial", code="duplicate", message="twice", value="A1")]
    response = render(DomainError("refused here", code="nope", field="serials", rows=rows))
    assert response.status_code == 400
    assert response.data == {
        "code": "nope",
        "detail": "refused here",
        "field": "serials",
        "rows": [
            {"row": 3, "field": "serial", "code": "duplicate", "message": "twice", "value": "A1"}
        ],
    }


def test_class_code_and_status_and_lazy_message_in_the_request_language():
    with translation.override("zh-hans"):
        response = render(Conflict())
    assert response.status_code == 409 and response.data["code"] == "busy"
    assert response.data["detail"] != "Invalid input."  # translated when rendered
    assert str(Conflict().message) == "Invalid input."


def test_drf_validation_error_becomes_rows_with_field_paths():
    class Line(serializers.Serializer):
        serial = serializers.CharField()

    class Input(serializers.Serializer):
        sku = serializers.CharField()
        lines = Line(many=True)

    data = Input(data={"lines": [{"serial": "A"}, {}]})
    assert not data.is_valid()
    response = render(exceptions.ValidationError(data.errors))
    assert response.status_code == 400 and response.data["code"] == "invalid"
    assert response.data["field"] is None
    assert {(r["field"], r["code"]) for r in response.data["rows"]} == {
        ("sku", "required"),
        ("lines.1.serial", "required"),
    }


def test_one_field_error_names_the_field_and_says_the_message():
    response = render(exceptions.ValidationError({"at": ["not a date"]}))
    assert response.data["field"] == "at" and response.data["detail"] == "not a date"
    non_field = render(exceptions.ValidationError(["wrong as a whole"]))
    assert non_field.data["field"] is None and non_field.data["detail"] == "wrong as a whole"


def test_django_validation_error_in_the_same_shape():
    response = render(DjangoValidationError({"phone": ["bad number"]}))
    assert response.status_code == 400
    assert response.data["field"] == "phone" and response.data["rows"][0]["message"] == "bad number"


@pytest.mark.parametrize(
    ("exc", "status", "code"),
    [
        (exceptions.NotAuthenticated(), 401, "not_authenticated"),
        (exceptions.AuthenticationFailed(), 401, "authentication_failed"),
        (exceptions.PermissionDenied(), 403, "permission_denied"),
        (exceptions.NotFound(), 404, "not_found"),
        (Http404(), 404, "not_found"),
        (exceptions.MethodNotAllowed("PATCH"), 405, "method_not_allowed"),
        (exceptions.ParseError(), 400, "parse_error"),
        (exceptions.Throttled(wait=7), 429, "throttled"),
    ],
)
def test_drf_errors_in_the_same_shape(exc, status, code):
    response = render(exc)
    assert response.status_code == status and response.data["code"] == code
    assert response.data["detail"] and response.data["rows"] == []
    if status == 429:
        assert response.data["meta"] == {"wait": 7} and response["Retry-After"] == "7"


def test_error_report_keeps_its_columns():
    rows = [RowError(2, field="serial", code="duplicate", message="twice", value="A1")]
    assert error_report(rows).splitlines() == ["row,column,value,error", "2,serial,A1,twice"]
    assert error_report(rows, column="code").splitlines()[1] == "2,duplicate,A1,twice"


def test_a_guard_only_a_bug_trips_stays_a_server_error():
    class Guard(DomainError):
        status = 500

    assert exception_handler(Guard("rewritten history"), {}) is None


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/units/1.5/", "/api/v1/jobs/true/", "/api/v2/"])
def test_an_api_url_no_route_matches_answers_404_in_the_one_body(api, path):
    response = api("admin").get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == SHAPE
    assert response.json()["code"] == "not_found"


@pytest.mark.django_db
def test_a_page_no_route_matches_keeps_the_html_404(client):
    response = client.get("/admin-no-such-page/x/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
