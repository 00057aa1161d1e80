"""Upload limits: a file's size, an XLSX's size once unzipped, and "job or not" by rows."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from unitrace.core.models import Job
from unitrace.core.tabular import UNIT_IMPORT_ALIASES as A
from unitrace.core.tabular import TableTooLarge, check_xlsx_size, count_rows, read_table


def small_xlsx(rows: int = 2) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["sku", "serial"])
    for i in range(rows):
        ws.append(["AC-100", f"X{i:05d}"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def bomb(expanded: int = 8 * 1024 * 1024) -> bytes:
    """A workbook with one more sheet member that unzips ~1000 times its size."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(small_xlsx())) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr(
            "xl/worksheets/sheet9.xml", b" " * expanded, compress_type=zipfile.ZIP_DEFLATED
        )
    return out.getvalue()


def test_a_workbook_that_unzips_far_beyond_its_size_is_refused_before_openpyxl(settings):
    data = bomb()
    assert len(data) < 100_000
    with pytest.raises(TableTooLarge) as info:
        read_table(data, "bomb.xlsx", A, ["serial"])
    assert info.value.code == "file_too_large"
    assert "unpacks to 8.0\xa0MB" in str(info.value)
    settings.UNITRACE_XLSX_MAX_RATIO = 10_000  # the ratio allowed, the size still caps
    settings.UNITRACE_XLSX_MAX_EXPANDED_BYTES = 4 * 1024 * 1024
    with pytest.raises(TableTooLarge):
        check_xlsx_size(data, "bomb.xlsx")
    settings.UNITRACE_XLSX_MAX_EXPANDED_BYTES = 64 * 1024 * 1024
    check_xlsx_size(data, "bomb.xlsx")  # both allowed: accepted


def test_an_ordinary_workbook_passes_the_checks():
    data = small_xlsx(500)
    check_xlsx_size(data, "u.xlsx")
    assert len(read_table(data, "u.xlsx", A, ["serial"]).rows) == 500


def test_rows_are_counted_cheaply_in_csv_and_xlsx():
    assert count_rows(b"serial\nA\nB\n", "u.csv") == 3
    assert count_rows(b"serial\nA\nB", "u.csv") == 3
    assert count_rows(small_xlsx(3000), "u.xlsx") == 3001  # the header is a row too
    with pytest.raises(TableTooLarge):
        count_rows(bomb(), "bomb.xlsx")


# --- through the API and the pages -----------------------------------------------------


@pytest.mark.django_db
def test_api_refuses_a_file_over_the_cap_in_the_error_body(api, sku, settings):
    settings.UNITRACE_UPLOAD_MAX_BYTES = 10_000
    client = api("warehouse")
    upload = SimpleUploadedFile("u.csv", b"serial\n" + b"A123456789\n" * 3000)
    response = client.post("/api/v1/units/import/", {"file": upload}, format="multipart")
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "file"
    assert "too large (32.2\xa0KB); at most 9.8\xa0KB may be uploaded" in body["detail"]
    assert set(body) >= {"code", "detail", "field", "rows"}
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_api_refuses_a_zip_bomb_as_a_field_error(api, sku):
    client = api("warehouse")
    upload = SimpleUploadedFile("bomb.xlsx", bomb())
    response = client.post("/api/v1/units/import/", {"file": upload}, format="multipart")
    assert response.status_code == 400
    assert response.json()["field"] == "file"
    assert "unpacks to" in response.json()["detail"]
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_the_handler_keeps_no_byte_past_the_cap(client, make_user, settings):
    """The upload handler hands on an empty file that knows its size: nothing stored."""
    from unitrace.core.uploads import CappedUploadHandler, TooLargeUpload

    settings.UNITRACE_UPLOAD_MAX_BYTES = 100
    handler = CappedUploadHandler()
    handler.new_file("file", "big.csv", "text/csv", 1000)
    assert handler.receive_data_chunk(b"x" * 64, 0) == b"x" * 64
    assert handler.receive_data_chunk(b"x" * 64, 64) is None
    done = handler.file_complete(128)
    assert isinstance(done, TooLargeUpload) and done.size == 128 and done.read() == b""


@pytest.mark.django_db
def test_import_page_shows_the_cap_as_a_form_error(client, make_user, settings):
    settings.UNITRACE_UPLOAD_MAX_BYTES = 1000
    client.force_login(make_user("warehouse"))
    upload = SimpleUploadedFile("u.csv", b"serial\n" + b"A123456789\n" * 500)
    response = client.post(reverse("serials:import"), {"file": upload, "mode": "all"})
    assert response.status_code == 200
    assert "too large" in response.content.decode()
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_job_or_not_is_decided_by_rows_not_by_bytes(api, sku, settings):
    settings.UNITRACE_JOBS_INLINE = False
    settings.UNITRACE_SYNC_IMPORT_ROWS = 50
    client = api("warehouse")
    notes = "x" * 100_000  # few rows, many bytes: runs inside the request
    wide = ("sku,serial,notes\n" + "".join(f"AC-100,W{i},{notes}\n" for i in range(12))).encode()
    assert len(wide) > 1_200_000
    response = client.post(
        "/api/v1/units/import/", {"file": SimpleUploadedFile("w.csv", wide)}, format="multipart"
    )
    assert response.status_code in (200, 201), response.json()
    assert Job.objects.get().status == Job.Status.SUCCEEDED
    many = "sku,serial\n" + "".join(f"AC-100,M{i}\n" for i in range(100))  # 1.2 KB
    response = client.post(
        "/api/v1/units/import/",
        {"file": SimpleUploadedFile("m.csv", many.encode())},
        format="multipart",
    )
    assert response.status_code == 202, response.json()
    assert Job.objects.latest("pk").status == Job.Status.QUEUED
