"""Party import: Chinese kinds, phones and divisions by the page's rules, personal data
only from users who may see it, all or nothing, bad cells."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from unitrace.core.models import Job
from unitrace.core.tabular import read_table
from unitrace.parties.importing import PARTY_ALIASES, division_name
from unitrace.parties.models import Party

pytestmark = pytest.mark.django_db
HEADER = "类型,编码,名称,联系人,电话,省份,城市\n"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _upload(client, text: str) -> Job:
    upload = SimpleUploadedFile("p.csv", text.encode("utf-8"), content_type="text/csv")
    response = client.post(reverse("parties:party_import"), {"file": upload})
    assert response.status_code == 302
    return Job.objects.latest("pk")


def _refused(job: Job) -> set[tuple[str, str]]:
    return {(r[0], r[1]) for r in list(csv.reader(io.StringIO(job.report)))[1:]}


def test_the_template_reads_back_and_the_list_links_it(login):
    client = login("admin", "root")
    response = client.get(reverse("core:import_template", args=["parties"]))
    table = read_table(response.content, "t.xlsx", PARTY_ALIASES, ["kind", "name"])
    assert table.rows == [] and table.ignored_columns == [] and len(table.columns) == 10
    html = client.get(reverse("parties:party_list")).content.decode()
    assert reverse("parties:party_import") in html


def test_division_codes_name_province_and_city():
    assert division_name("330000") == ("浙江省", "")
    assert division_name("3301") == ("浙江省", "杭州市")
    assert division_name("110101") == ("北京市", "东城区")
    assert division_name("999999") is None and division_name("33010") is None


def test_creates_and_updates_with_chinese_kinds_phones_and_division_codes(login, customer):
    client = login("admin", "root")
    job = _upload(
        client,
        HEADER + "供应商,S-9,宁波电机（集团）,李四,0574-8765 4321,330000,330200\n"
        "经销商,,温州经销,,138 0000 1111,浙江,温州\n"
        f"customer,{customer.code},张三丰,,,,\n",
    )
    assert job.status == Job.Status.SUCCEEDED, job.report
    assert (job.result["parties_created"], job.result["parties_updated"]) == (2, 1)
    supplier = Party.objects.get(code="S-9")
    assert (supplier.kind, supplier.name, supplier.province, supplier.city) == (
        "supplier",
        "宁波电机（集团）",
        "浙江省",
        "宁波市",
    )
    assert supplier.phone == "0574-87654321"
    dealer = Party.objects.get(name="温州经销")
    assert dealer.kind == "distributor" and dealer.code.startswith("D")
    assert dealer.phone == "13800001111"
    customer.refresh_from_db()
    assert (customer.name, customer.phone) == ("张三丰", "13812341234")  # empty cell kept it
    page = client.get(reverse("core:job_detail", args=[job.pk])).content.decode()
    assert reverse("parties:party_list") in page


def test_personal_data_only_from_users_who_may_see_it(login, customer):
    client = login("procurement")
    job = _upload(client, HEADER + f"客户,{customer.code},张三,王五,13900000000,,\n")
    assert job.status == Job.Status.FAILED
    assert _refused(job) == {("2", "contact"), ("2", "phone")}
    customer.refresh_from_db()
    assert customer.phone == "13812341234"
    job = _upload(client, HEADER + "供应商,S-10,无电话供应商,,,浙江省,杭州市\n")
    assert job.status == Job.Status.SUCCEEDED, job.report


def test_bad_cells_refuse_the_whole_file(login, customer):
    client = login("admin", "root")
    job = _upload(
        client,
        HEADER + "外星人,X-1,某,,,,\n"
        "客户,X-2,某,,12345,,\n"
        "客户,X-3,某,,99999999999999999999,,\n"
        "客户,X-4,某,,,浙江省,广州市\n"
        "客户,X-4,重复,,,,\n"
        "客户,X-5,某,,,999999,\n"
        f"客户,X-6,{'长' * 201},,,,\n"
        f"供应商,{customer.code},改成供应商,,,,\n"
        '客户,X-7,=HYPERLINK("http://x"),,,,\n'
        "客户,X-8,某,,,火星省,\n",
    )
    assert job.status == Job.Status.FAILED
    refused = _refused(job)
    assert {
        ("2", "kind"),
        ("3", "phone"),
        ("4", "phone"),
        ("11", "province"),
        ("5", "city"),
        ("6", "code"),
        ("7", "province"),
        ("8", "name"),
        ("9", "kind"),
    } <= refused
    assert not any(r[0] == "10" for r in refused)  # a formula-like name is just text
    assert not Party.objects.filter(code__startswith="X-").exists()
    rows = list(csv.reader(io.StringIO(job.report)))
    assert all(not cell.startswith("=") for row in rows for cell in row)


def test_import_needs_add_and_change_of_parties(login):
    clerk = login("warehouse", "clerk")
    upload = SimpleUploadedFile("p.csv", "类型,名称\n客户,某\n".encode())
    assert clerk.post(reverse("parties:party_import"), {"file": upload}).status_code == 403
    assert (
        reverse("parties:party_import")
        not in clerk.get(reverse("parties:party_list")).content.decode()
    )


def test_nul_bytes_are_refused_and_nothing_is_written(login):
    job = _upload(login("admin", "root"), HEADER + "客户,N-1,某\x00某,,,,\n")
    assert job.status == Job.Status.FAILED and job.error
    assert not Party.objects.filter(code="N-1").exists()
