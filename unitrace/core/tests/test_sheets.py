"""Formula injection: no cell of a report or export is evaluated when Excel opens it."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.cache import cache
from openpyxl import load_workbook

from unitrace.core.errors import RowError, error_report
from unitrace.core.jobs import submit_job
from unitrace.core.sheets import csv_text, read_cell, safe_cell, xlsx_bytes

EVIL = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x")']


@pytest.mark.parametrize("value", EVIL)
def test_text_that_excel_would_evaluate_is_quoted_and_read_back(value):
    assert safe_cell(value) == "'" + value
    assert read_cell(safe_cell(value)) == value


@pytest.mark.parametrize("value", ["A1", "张三", "", "1-2", "'quoted", 5, -5, None])
def test_other_cells_are_written_as_they_are(value):
    assert safe_cell(value) == value
    assert read_cell("'quoted") == "'quoted"


def test_error_report_neutralizes_every_cell_and_keeps_its_columns():
    rows = [RowError(2, field="serial", message="=bad", value='=cmd|" /C calc"!A0')]
    parsed = list(csv.reader(io.StringIO(error_report(rows))))
    assert parsed == [
        ["row", "column", "value", "error"],
        ["2", "serial", '\'=cmd|" /C calc"!A0', "'=bad"],
    ]


def test_csv_and_xlsx_writers_quote_the_same_cells():
    assert csv_text(["a", "b"], [["=1", 2]]).splitlines() == ["a,b", "'=1,2"]
    ws = load_workbook(io.BytesIO(xlsx_bytes(["a", "b"], [["@x", 2], ["-3", -3]]))).active
    assert [[c.value for c in r] for r in ws.iter_rows()] == [
        ["a", "b"],
        ["'@x", 2],
        ["'-3", -3],
    ]
    assert all(c.data_type != "f" for r in ws.iter_rows() for c in r)


@pytest.mark.django_db
def test_an_import_report_downloaded_by_a_clerk_carries_no_formula(api, sku):
    cache.clear()
    client = api("engineer", "owner")
    data = b'sku,serial\nAC-100,"=HYPERLINK(""http://evil"",""x"")"\n'
    job = submit_job("units.import", user=client.user, input_name="u.csv", input_data=data)
    text = client.get(f"/api/v1/jobs/{job.pk}/report/").content.decode("utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert cells and not any(c.startswith(("=", "+", "-", "@")) for c in cells)
    assert '\'=HYPERLINK("http://evil","x")' in cells
    # the status answer shows the value as it was given
    body = client.get(f"/api/v1/jobs/{job.pk}/").json()
    assert body["rows"][0]["value"] == '=HYPERLINK("http://evil","x")'
    cache.clear()
