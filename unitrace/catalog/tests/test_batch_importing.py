"""Batch import: create and update by SKU and number, Chinese and full-width dates,
unknown references, duplicates, huge numbers, NUL bytes, formula-like cells."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from unitrace.catalog.importing import BATCH_ALIASES
from unitrace.catalog.models import Batch
from unitrace.core.models import Job
from unitrace.core.tabular import read_table

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _upload(client, text: str | bytes, name: str = "batches.csv") -> Job:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    upload = SimpleUploadedFile(name, raw, content_type="text/csv")
    response = client.post(reverse("catalog:batch_import"), {"file": upload})
    assert response.status_code == 302
    return Job.objects.latest("pk")


def _report(job: Job) -> list[list[str]]:
    return list(csv.reader(io.StringIO(job.report)))


def test_the_template_reads_back_and_the_list_links_it(login):
    client = login("admin", "root")
    response = client.get(reverse("core:import_template", args=["batches"]))
    assert response.status_code == 200
    table = read_table(response.content, "t.xlsx", BATCH_ALIASES, ["code", "sku"])
    assert table.rows == [] and table.ignored_columns == [] and len(table.columns) == 7
    html = client.get(reverse("catalog:batch_list")).content.decode()
    assert reverse("catalog:batch_import") in html
    assert reverse("core:import_template", args=["batches"]) in html


def test_creates_and_updates_with_chinese_and_full_width_dates(login, sku, batch, supplier):
    client = login("procurement")
    job = _upload(
        client,
        "批次号,型号编码,生产日期,数量,供应商编码\n"
        f"Ｂ２６０２,{sku.code},２０２６年１月５日,１２０,{supplier.code}\n"
        f"{batch.code},{sku.code},2025/12/1,7,\n",
    )
    assert job.status == Job.Status.SUCCEEDED, job.report
    assert (job.result["batches_created"], job.result["batches_updated"]) == (1, 1)
    new = Batch.objects.get(sku=sku, code="B2602")
    assert (new.production_date, new.quantity, new.supplier) == (
        datetime.date(2026, 1, 5),
        120,
        supplier,
    )
    batch.refresh_from_db()
    assert (batch.production_date, batch.quantity) == (datetime.date(2025, 12, 1), 7)
    page = client.get(reverse("core:job_detail", args=[job.pk])).content.decode()
    assert reverse("catalog:batch_list") in page


def test_unknown_references_duplicates_and_huge_numbers_refuse_the_whole_file(login, sku):
    client = login("admin", "root")
    job = _upload(
        client,
        "批次号,型号编码,生产日期,数量,供应商编码\n"
        f"OK-1,{sku.code},2026-01-02,5,\n"
        "X-1,NO-SUCH,2026-01-02,5,\n"
        f"X-2,{sku.code},2026-01-02,99999999999999999999,NOBODY\n"
        f"OK-1,{sku.code},,1,\n"
        f"X-3,{sku.code},2999-01-01,1,\n",
    )
    assert job.status == Job.Status.FAILED
    assert not Batch.objects.filter(code__in=["OK-1", "X-1", "X-2", "X-3"]).exists()
    fields = {(r[0], r[1]) for r in _report(job)[1:]}
    assert {
        ("3", "sku"),
        ("4", "quantity"),
        ("4", "supplier"),
        ("5", "code"),
        ("6", "production_date"),
    } <= fields
    assert ("3", "__all__") not in fields  # the unknown SKU is said once, by its column


def test_nul_bytes_are_a_clear_failure(login, sku):
    job = _upload(login("admin", "root"), f"批次号,型号编码\nB\x001,{sku.code}\n")
    assert job.status == Job.Status.FAILED and job.error  # refused with a reason, no crash
    assert not Batch.objects.exists()


def test_a_formula_like_cell_is_kept_as_text_and_neutralized_in_the_report(login, sku):
    client = login("admin", "root")
    job = _upload(client, f'批次号,型号编码,工厂,数量\n=1+1,{sku.code},=HYPERLINK("x"),-3\n')
    assert job.status == Job.Status.FAILED
    rows = _report(job)
    assert all(not cell.startswith("=") for row in rows for cell in row)


def test_import_needs_add_and_change_of_batches(login):
    clerk = login("warehouse", "clerk")
    upload = SimpleUploadedFile("b.csv", b"batch,sku\nX,Y\n")
    assert clerk.post(reverse("catalog:batch_import"), {"file": upload}).status_code == 403
    html = clerk.get(reverse("catalog:batch_list")).content.decode()
    assert reverse("catalog:batch_import") not in html
    response = clerk.get(reverse("core:import_template", args=["batches"]))
    assert response.status_code == 403
