"""SKU import: template, create and update, all or nothing, report, full-width input."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from unitrace.catalog.importing import SKU_ALIASES
from unitrace.catalog.models import SKU, Category
from unitrace.core.models import ChangeLog, Job
from unitrace.core.tabular import read_table

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _upload(client, text: str, name: str = "skus.csv"):
    upload = SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")
    response = client.post(reverse("catalog:sku_import"), {"file": upload})
    assert response.status_code == 302
    return Job.objects.latest("pk")


def test_the_template_reads_back_as_the_import(login):
    client = login("admin", "root")
    response = client.get(reverse("core:import_template", args=["skus"]))
    assert response.status_code == 200
    table = read_table(response.content, "t.xlsx", SKU_ALIASES, ["code", "name"])
    assert table.rows == [] and table.ignored_columns == [] and len(table.columns) == 10
    html = client.get(reverse("catalog:sku_list")).content.decode()
    assert reverse("catalog:sku_import") in html
    assert reverse("core:import_template", args=["skus"]) in html


def test_creates_and_updates_with_full_width_and_chinese_values(login, sku):
    Category.objects.create(name="空调（挂机）")
    client = login("admin", "root")
    job = _upload(
        client,
        "型号编码,名称,类别,按序列号管理,保修月数,保修起算点,序列号规则\n"
        "ＫＦＲ－３５,挂机（１.５匹）,空调（挂机）,是,２４,激活,KF{SEQ:6}\n"
        "AC-100,空调室内机 新款,,否,36,sale,\n",
    )
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert (job.result["skus_created"], job.result["skus_updated"]) == (1, 1)
    new = SKU.objects.get(code="KFR-35")  # NFKC: full-width code read as ASCII
    assert new.name == "挂机（１.５匹）"  # names are kept as written
    assert (new.warranty_months, new.warranty_start, new.category.name) == (
        24,
        "activation",
        "空调（挂机）",
    )
    sku.refresh_from_db()
    assert (sku.name, sku.serialized, sku.warranty_months) == ("空调室内机 新款", False, 36)
    assert ChangeLog.objects.filter(object_type="catalog.sku", action="update").exists()


def test_one_bad_row_and_nothing_is_written_the_report_repeats_the_rows(login):
    client = login("admin", "root")
    job = _upload(
        client,
        "型号编码,名称,商品条码,保修月数,启用\n"
        "OK-1,好的,,12,是\n"
        "BAD-1,坏的,123,99999999999999999999,也许\n"
        "OK-1,重复,,12,是\n",
    )
    assert job.status == Job.Status.FAILED
    assert not SKU.objects.filter(code__in=["OK-1", "BAD-1"]).exists()
    rows = list(csv.reader(io.StringIO(job.report)))
    assert rows[0][4:] == [
        "original: 型号编码",
        "original: 名称",
        "original: 商品条码",
        "original: 保修月数",
        "original: 启用",
    ]
    fields = {(r[0], r[1]) for r in rows[1:]}
    assert {("3", "gtin"), ("3", "warranty_months"), ("3", "active"), ("4", "code")} <= fields
    bad = next(r for r in rows[1:] if r[1] == "gtin")
    assert bad[4:] == ["BAD-1", "坏的", "123", "99999999999999999999", "也许"]
    page = client.get(reverse("core:job_detail", args=[job.pk])).content.decode()
    assert reverse("core:job_report", args=[job.pk]) in page


def test_an_unreadable_file_is_a_clear_failure(login):
    job = _upload(login("admin", "root"), "名称\n只有名称\n")
    assert job.status == Job.Status.FAILED and "型号编码" in job.error


def test_import_needs_add_and_change(login):
    clerk = login("warehouse", "clerk")
    upload = SimpleUploadedFile("s.csv", b"code,name\nX,Y\n")
    assert clerk.post(reverse("catalog:sku_import"), {"file": upload}).status_code == 403
    assert (
        reverse("catalog:sku_import") not in clerk.get(reverse("catalog:sku_list")).content.decode()
    )


def test_an_xlsx_with_numbers_and_dates_in_cells(login):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["型号编码", "名称", "保修月数", "序列号最大长度"])
    sheet.append([12345, "数字型号", 18, 12.0])
    out = io.BytesIO()
    book.save(out)
    client = login("admin", "root")
    upload = SimpleUploadedFile("s.xlsx", out.getvalue())
    client.post(reverse("catalog:sku_import"), {"file": upload})
    job = Job.objects.latest("pk")
    assert job.status == Job.Status.SUCCEEDED, job.report
    made = SKU.objects.get(code="12345")
    assert (made.warranty_months, made.serial_max_length) == (18, 12)
