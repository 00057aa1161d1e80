"""Imports read what clerks type on Chinese Windows: 2026年1月15日, full-width serials."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.core.cache import cache

from tests.factories import procurement as pf
from unitrace.core.jobs import submit_job
from unitrace.core.models import Job
from unitrace.procurement.asn import import_asn_file
from unitrace.procurement.models import ExpectedSerial
from unitrace.serials.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_unit_import_reads_chinese_dates_and_full_width_serials(make_user, sku):
    data = (
        "型号,序列号,生产日期\n"
        "AC-100,ＡＣ２６０１０００００１Ｗ,2026年1月15日\n"
        "ＡＣ－１００,AC2601000002U,２０２６年１月１６日\n"
    ).encode()
    user = make_user("warehouse", "clerk")
    job = submit_job("units.import", user=user, input_name="units.csv", input_data=data)
    assert job.status == Job.Status.SUCCEEDED, job.error
    units = dict(Unit.objects.filter(sku=sku).values_list("serial", "production_date"))
    assert units == {
        "AC2601000001W": date(2026, 1, 15),
        "AC2601000002U": date(2026, 1, 16),
    }


def test_unit_import_report_repeats_the_row_as_written(make_user, sku):
    data = "型号,序列号,生产日期\nAC-100,ＡＢ１,2026年2月30日\n".encode()
    job = submit_job(
        "units.import", user=make_user("warehouse", "clerk"), input_name="u.csv", input_data=data
    )
    assert job.status == Job.Status.FAILED
    rows = list(csv.reader(io.StringIO(job.report)))
    assert rows[0][4:] == ["original: 型号", "original: 序列号", "original: 生产日期"]
    refused = next(r for r in rows[1:] if r[1] == "production_date")
    assert refused[2] == "2026年2月30日"
    assert "is not a real date" in refused[3]
    assert refused[4:] == ["AC-100", "ＡＢ１", "2026年2月30日"]  # and what the clerk wrote


def test_asn_reads_chinese_dates_and_full_width_serials(sku, supplier, warehouse):
    order = pf.PurchaseOrderFactory(supplier=supplier, lines=[(sku, 2)], warehouse=warehouse)
    data = "序列号,生产日期\nＡＣ２６０１０００００１Ｗ,2026年1月15日\nAC2601000002U,2026-01-16\n"
    result = import_asn_file(order, data.encode("gb18030"), "asn.csv")
    assert result.created == 2, result.errors
    expected = dict(
        ExpectedSerial.objects.filter(order=order).values_list("serial", "production_date")
    )
    assert expected == {
        "AC2601000001W": date(2026, 1, 15),
        "AC2601000002U": date(2026, 1, 16),
    }
