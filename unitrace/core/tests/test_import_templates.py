"""Every import has a template to download; it reads back through the importer's reader."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from unitrace.core.import_templates import template_names
from unitrace.core.tabular import UNIT_IMPORT_ALIASES, read_table

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _book(response) -> openpyxl.Workbook:
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return openpyxl.load_workbook(io.BytesIO(response.content))


def test_every_existing_import_has_a_template():
    assert {"units", "asn", "receiving"} <= set(template_names())


@pytest.mark.parametrize("name", ["units", "asn", "receiving"])
def test_the_template_is_empty_and_its_header_is_what_the_importer_reads(login, name):
    client = login("admin", "root")
    response = client.get(reverse("core:import_template", args=[name]))
    assert f'filename="{name}-template.xlsx"' in response["Content-Disposition"]
    book = _book(response)
    data, instructions = book.worksheets
    rows = list(data.iter_rows(values_only=True))
    assert len(rows) == 1 and "序列号" in rows[0]  # the header alone: nothing to import
    table = read_table(response.content, "t.xlsx", UNIT_IMPORT_ALIASES, ["serial"])
    assert table.rows == [] and table.ignored_columns == []  # every header is understood
    assert "serial" in table.columns
    assert len(list(instructions.iter_rows())) >= 4 + len(rows[0])


def test_a_template_needs_the_permission_of_its_import(login):
    clerk = login("warehouse", "clerk")  # registers units, does not buy
    assert clerk.get(reverse("core:import_template", args=["units"])).status_code == 200
    assert clerk.get(reverse("core:import_template", args=["asn"])).status_code == 403
    assert clerk.get(reverse("core:import_template", args=["nope"])).status_code == 404


def test_import_pages_link_their_template(login):
    client = login("admin", "root")
    html = client.get(reverse("serials:import")).content.decode()
    assert reverse("core:import_template", args=["units"]) in html


@pytest.mark.parametrize(
    ("name", "columns"),
    [("skus", 10), ("batches", 7), ("warehouses", 7), ("parties", 10)],
)
def test_master_data_templates_have_the_header_alone_and_an_instruction_per_column(
    login, name, columns
):
    client = login("admin", "root")
    book = _book(client.get(reverse("core:import_template", args=[name])))
    data, instructions = book.worksheets
    rows = list(data.iter_rows(values_only=True))
    assert len(rows) == 1 and len(rows[0]) == columns
    explained = [r[0] for r in instructions.iter_rows(values_only=True)][4:]
    assert explained == list(rows[0])  # every column explained, in the same order
