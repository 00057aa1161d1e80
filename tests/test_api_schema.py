"""The OpenAPI schema documents every status an operation answers with."""

import pytest
from drf_spectacular.generators import SchemaGenerator

ERROR = "#/components/schemas/Error"


@pytest.fixture(scope="module")
def paths():
    return SchemaGenerator().get_schema(request=None, public=True)["paths"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        # a code, serial or supplier in the input that names nothing the login may see
        ("get", "/api/v1/scan/"),
        ("post", "/api/v1/sell-through/"),
        ("post", "/api/v1/exchanges/"),
        ("get", "/api/v1/suppliers/quality/"),
        ("get", "/api/v1/part-stock/fefo/"),
    ],
)
def test_a_lookup_by_code_in_the_input_documents_its_404(paths, method, path):
    response = paths[path][method]["responses"]["404"]

    assert response["content"]["application/json"]["schema"] == {"$ref": ERROR}


@pytest.mark.parametrize(
    "path", ["/api/v1/purchase-orders/{id}/lines/", "/api/v1/purchase-orders/{id}/receipts/"]
)
def test_an_order_s_lines_and_receipts_are_documented_as_the_plain_list_they_are(paths, path):
    schema = paths[path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]

    assert schema["type"] == "array"


def test_recording_an_event_documents_its_201(paths):
    responses = paths["/api/v1/units/{id}/events/"]["post"]["responses"]

    assert "201" in responses and "200" not in responses
