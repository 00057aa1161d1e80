"""Warehouse and bin import: parents later in the file, loops refused with the row,
re-parenting through the hierarchy's locks, all or nothing, bad cells."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from unitrace.core.models import Job
from unitrace.core.tabular import read_table
from unitrace.places import hierarchy
from unitrace.places.importing import WAREHOUSE_ALIASES
from unitrace.places.models import Bin, Warehouse

pytestmark = pytest.mark.django_db
HEADER = "仓库编码,仓库名称,级别,上级仓库编码,地区,库位编码\n"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _upload(client, text: str) -> Job:
    upload = SimpleUploadedFile("w.csv", text.encode("utf-8"), content_type="text/csv")
    response = client.post(reverse("places:warehouse_import"), {"file": upload})
    assert response.status_code == 302
    return Job.objects.latest("pk")


def _refused(job: Job) -> set[tuple[str, str]]:
    return {(r[0], r[1]) for r in list(csv.reader(io.StringIO(job.report)))[1:]}


def _top(code: str, parent: Warehouse | None = None) -> Warehouse:
    return Warehouse.objects.create(code=code, name=code, level="regional", parent=parent)


def test_the_template_reads_back_and_the_list_links_it(login):
    client = login("admin", "root")
    response = client.get(reverse("core:import_template", args=["warehouses"]))
    table = read_table(response.content, "t.xlsx", WAREHOUSE_ALIASES, ["code"])
    assert table.rows == [] and table.ignored_columns == [] and len(table.columns) == 7
    html = client.get(reverse("places:warehouse_list")).content.decode()
    assert reverse("places:warehouse_import") in html


def test_parents_later_in_the_file_regions_by_name_or_code_and_bins(login):
    client = login("admin", "root")
    job = _upload(
        client,
        HEADER + "WH-C,杭州仓,区域,WH-P,浙江省 杭州市,A-01\n"
        "WH-P,总仓,总部,,330100,\n"
        "WH-C,,,,,A-02\n"
        "WH-P,,,,,B-01\n",
    )
    assert job.status == Job.Status.SUCCEEDED, job.report
    assert (job.result["warehouses_created"], job.result["bins_created"]) == (2, 3)
    child = Warehouse.objects.get(code="WH-C")
    parent = Warehouse.objects.get(code="WH-P")
    assert (child.parent, child.level, child.province, child.city) == (
        parent,
        "regional",
        "浙江省",
        "杭州市",
    )
    assert (parent.level, parent.province, parent.city) == ("hq", "浙江省", "杭州市")
    assert set(Bin.objects.values_list("warehouse__code", "code")) == {
        ("WH-C", "A-01"),
        ("WH-C", "A-02"),
        ("WH-P", "B-01"),
    }
    page = client.get(reverse("core:job_detail", args=[job.pk])).content.decode()
    assert reverse("places:warehouse_list") in page


def test_a_loop_within_the_file_is_refused_with_its_rows(login):
    job = _upload(login("admin", "root"), HEADER + "A,甲,区域,B,,\nB,乙,区域,A,,\nC,丙,区域,,,\n")
    assert job.status == Job.Status.FAILED
    assert {("2", "parent"), ("3", "parent")} <= _refused(job)
    assert "A → B → A" in job.report
    assert not Warehouse.objects.exists()


def test_a_loop_through_a_stored_warehouse_is_refused(login):
    top = _top("X")
    _top("Y", parent=top)
    job = _upload(login("admin", "root"), HEADER + "X,,,Y,,\n")
    assert job.status == Job.Status.FAILED
    assert _refused(job) == {("2", "parent")} and "X → Y → X" in job.report
    top.refresh_from_db()
    assert top.parent is None


def test_re_parenting_goes_through_the_hierarchy_locks(login, monkeypatch):
    a, b = _top("A"), _top("B")
    a.name = "原名"
    a.save()
    locked: list[str] = []
    real = hierarchy.lock_chain
    monkeypatch.setattr(hierarchy, "lock_chain", lambda w: (locked.append(w.code), real(w)))
    job = _upload(login("admin", "root"), "仓库编码,上级仓库编码\nA,B\n")
    assert job.status == Job.Status.SUCCEEDED, job.report
    a.refresh_from_db()
    assert (a.parent, a.name, job.result["warehouses_updated"]) == (b, "原名", 1)
    assert "A" in locked


def test_bad_cells_refuse_the_whole_file(login):
    _top("OLD")
    Bin.objects.create(warehouse=Warehouse.objects.get(code="OLD"), code="K1")
    long_code = "W" * 41
    job = _upload(
        login("admin", "root"),
        HEADER + "NEW,新仓,区域,NOWHERE,,\n"
        "NEW,重复,区域,,,\n"
        "GHOST,,,,,Z-1\n"
        "OLD,,外星,,火星省 某市,K1\n"
        "OLD,,,,,K1\n"
        f"{long_code},长,区域,,,\n"
        'F1,=HYPERLINK("http://x"),区域,,,\n'
        "NEW2,新仓2,区域,,,\n",
    )
    assert job.status == Job.Status.FAILED
    refused = _refused(job)
    assert {
        ("2", "parent"),
        ("3", "code"),
        ("4", "code"),
        ("5", "level"),
        ("5", "region"),
        ("6", "bin"),
        ("7", "code"),
    } <= refused
    assert not any(r[0] == "8" for r in refused)  # a formula-like name is just text
    assert Warehouse.objects.count() == 1 and Bin.objects.count() == 1
    rows = list(csv.reader(io.StringIO(job.report)))
    assert all(not cell.startswith("=") for row in rows for cell in row)


def test_import_needs_the_add_and_change_permissions(login):
    clerk = login("warehouse", "clerk")
    upload = SimpleUploadedFile("w.csv", b"code\nX\n")
    assert clerk.post(reverse("places:warehouse_import"), {"file": upload}).status_code == 403
    html = clerk.get(reverse("places:warehouse_list")).content.decode()
    assert reverse("places:warehouse_import") not in html


def test_nul_bytes_are_refused_and_nothing_is_written(login):
    job = _upload(login("admin", "root"), HEADER + "W\x001,名,区域,,,\n")
    assert job.status == Job.Status.FAILED and job.error
    assert not Warehouse.objects.exists()
