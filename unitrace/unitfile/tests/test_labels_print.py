"""Label printing: the PDFs embed their font and carry the text, ZPL for thermal rolls,
the selections (batch, generation job, filter, chosen units) under the printer's
permission and data scope, and large runs as owner-only background jobs."""

from __future__ import annotations

import io
import re
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission
from django.test import Client, override_settings
from django.urls import reverse
from pypdf import PdfReader

from tests import factories as f
from unitrace.core.jobs import run_job, submit_job
from unitrace.core.models import ChangeLog, Job
from unitrace.serials.labels import TEMPLATES, Label, LabelError, labels_zpl
from unitrace.serials.models import Unit
from unitrace.serials.registration import NewUnit, register_units

pytestmark = pytest.mark.django_db

PRINT = "serials:label_print"


def embedded_fonts(pdf: bytes) -> dict[str, bool]:
    """Every font the pages use → whether its program is embedded in the file."""
    fonts: dict[str, bool] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            fonts[str(font["/BaseFont"])] = any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    return fonts


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def units(sku, batch):
    register_units(sku, [NewUnit(f"AC26{i:04d}", "", batch.pk) for i in range(5)])
    return list(Unit.objects.filter(sku=sku).order_by("serial"))


def post(client, **data):
    return client.post(reverse(PRINT), data)


@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_every_size_embeds_its_font_and_carries_the_text(login, units, template):
    client = login("warehouse")
    response = post(client, source="batch", batch="B2601", template=template, barcode="1")
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    fonts = embedded_fonts(response.content)
    assert fonts and all(fonts.values()), fonts
    assert any("WenQuanYi" in name for name in fonts)
    text = pdf_text(response.content)
    assert "空调室内机" in text
    assert all(unit.serial in text for unit in units)
    pages = len(PdfReader(io.BytesIO(response.content)).pages)
    assert pages == (1 if TEMPLATES[template].sheet else len(units))


def test_a_missing_font_is_a_clear_refusal_not_a_500(login, units, settings):
    settings.UNITRACE_PDF_FONT = "/nonexistent/font.ttf"
    client = login("warehouse")
    direct = client.get(reverse("serials:labels", args=["pdf"]), {"ids": units[0].pk})
    assert direct.status_code == 503
    assert "font" in direct.content.decode()
    page = post(client, source="batch", batch="B2601")
    assert page.status_code == 503
    assert "fonts-wqy-microhei" in page.content.decode()


def test_zpl_for_a_roll_one_format_per_label(login, units):
    client = login("warehouse")
    response = post(
        client, source="batch", batch="B2601", template="roll-50x30", format="zpl", barcode="1"
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    zpl = response.content.decode()
    assert zpl.count("^XA") == zpl.count("^XZ") == len(units)
    assert "^PW400" in zpl and "^LL240" in zpl  # 50 × 30 mm at 8 dots/mm
    assert zpl.count("^BQN,2,") == len(units)  # the QR
    assert zpl.count("^BCN,") == len(units)  # the Code 128
    for unit in units:
        assert f"^FD{unit.serial}^FS" in zpl
    at_300_dpi = post(
        client, source="batch", batch="B2601", template="roll-70x40", format="zpl", dpmm="12"
    )
    assert "^PW840" in at_300_dpi.content.decode() and "^BCN" not in at_300_dpi.content.decode()


def test_zpl_escapes_its_control_characters():
    unit = SimpleNamespace(serial="A^B~C\\D", sku=SimpleNamespace(code="X", name="y"))
    zpl = labels_zpl([Label(unit, "https://s.cn/u/t^x", "CODE")], "roll-70x40").decode()
    assert "^FDA\\5EB\\7EC\\5CD^FS" in zpl
    assert "MA,https://s.cn/u/t\\5Ex^FS" in zpl
    for data in re.findall(r"\^FD(.*?)\^FS", zpl):
        assert "~" not in data and "^" not in data


def test_zpl_is_refused_for_sheets_and_long_serials_refuse_a_1d_code(login, units):
    client = login("warehouse")
    sheet = post(client, source="batch", batch="B2601", template="a4-3x8", format="zpl")
    assert sheet.status_code == 400 and "thermal rolls" in sheet.content.decode()
    long_sku = f.SKUFactory(code="LONG-1", name="长序列号")
    register_units(long_sku, [NewUnit("LONGSERIAL-" + "X7" * 12)])
    refused = post(client, source="filter", sku="LONG-1", template="roll-50x30", barcode="1")
    assert refused.status_code == 400
    assert "too long for a 1D barcode" in refused.content.decode()
    without = post(client, source="filter", sku="LONG-1", template="roll-50x30")
    assert without.status_code == 200


def test_unknown_choices_are_refused_by_field(login, units):
    client = login("warehouse")
    for data, message in (
        ({"source": "batch", "batch": "B2601", "template": "a5"}, "Unknown label size"),
        ({"source": "batch", "batch": "B2601", "format": "png"}, "PDF or ZPL"),
        ({"source": "batch", "batch": "B2601", "dpmm": "7"}, "8 or 12"),
        ({"source": "job", "job": "abc"}, "generation job"),
        ({"source": "filter"}, "at least one filter"),
        ({"source": "filter", "status": "bogus"}, "not valid"),
        ({"source": "everything"}, "Choose what to print"),
    ):
        response = post(client, **data)
        assert response.status_code == 400, data
        assert message in response.content.decode(), data


def test_a_generation_jobs_units_print_and_only_those(login, sku, units):
    client = login("warehouse")
    job = submit_job("units.generate", user=client.user, params={"sku": sku.pk, "count": 3})
    assert job.status == Job.Status.SUCCEEDED, job.error
    response = post(client, source="job", job=str(job.pk), template="roll-70x40")
    assert response.status_code == 200
    text = pdf_text(response.content)
    generated = Unit.objects.exclude(pk__in=[u.pk for u in units])
    assert generated.count() == 3
    assert all(u.serial in text for u in generated)
    assert not any(u.serial in text for u in units)
    other = submit_job("export", user=client.user, params={"export": "nope"})
    assert "no serial generation job" in post(client, source="job", job=other.pk).content.decode()


def test_selections_keep_to_the_printers_scope(login, sku, batch, distributor, warehouse):
    register_units(sku, [NewUnit(f"SC{i:04d}", "", batch.pk) for i in range(4)])
    mine = f.UnitFactory(
        sku=sku, serial="SCOWN1", history=[f.received(warehouse), f.delivered(distributor)]
    )
    scoped = login("warehouse", "scoped", party=distributor)
    by_batch = post(scoped, source="batch", batch="B2601")
    assert by_batch.status_code == 404  # the batch's units are not the distributor's
    by_filter = post(scoped, source="filter", sku="AC-100")
    assert by_filter.status_code == 200
    text = pdf_text(by_filter.content)
    assert mine.serial in text and "SC0001" not in text
    others = list(Unit.objects.filter(serial__startswith="SC0").values_list("pk", flat=True))
    chosen = scoped.get(reverse("serials:labels", args=["pdf"]), {"ids": others})
    assert chosen.status_code == 404


def test_printing_needs_the_permission(login, units):
    viewer = login("agent", "viewer")
    assert viewer.get(reverse(PRINT)).status_code == 403
    assert post(viewer, source="batch", batch="B2601").status_code == 403
    zpl = reverse("serials:labels", args=["zpl"])
    assert viewer.get(zpl, {"ids": units[0].pk, "template": "roll-50x30"}).status_code == 403


def test_the_print_page_keeps_what_was_given(login, units):
    page = login("warehouse").get(reverse(PRINT), {"sku": "AC-100", "template": "roll-50x30"})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'value="filter" checked' in html and 'value="AC-100"' in html
    assert 'value="roll-50x30" selected' in html


@override_settings(UNITRACE_LABEL_JOB_UNITS=2)
def test_a_large_run_is_a_job_its_owner_alone_downloads(login, units):
    client = login("warehouse")
    response = post(client, source="batch", batch="B2601", template="a4-4x10")
    job = Job.objects.get(kind="labels")
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.result["labels"] == len(units) and job.done == len(units)
    detail = client.get(f"/jobs/{job.pk}/").content.decode()
    assert f"/jobs/{job.pk}/download/" in detail
    download = client.get(f"/jobs/{job.pk}/download/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    pdf = b"".join(download.streaming_content)
    assert all(embedded_fonts(pdf).values())
    assert all(unit.serial in pdf_text(pdf) for unit in units)
    logged = ChangeLog.objects.filter(action=ChangeLog.Action.EXPORT, object_type="serials.Unit")
    assert logged.count() == 1
    admin = Client()
    admin.force_login(f.UserFactory(role="admin", username="boss"))
    assert admin.get(f"/jobs/{job.pk}/download/").status_code == 404


def test_a_job_checks_the_permission_again_when_it_runs(make_user, units):
    clerk = make_user("warehouse", "clerk")
    job = Job.objects.create(
        kind="labels",
        created_by=clerk,
        params={"source": "batch", "batch": "B2601", "template": "a4-3x8", "format": "pdf"},
    )
    clerk.groups.clear()
    clerk.user_permissions.add(Permission.objects.get(codename="view_unit"))
    run_job(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "may not print labels" in job.error
    assert not job.result.get("file")


def test_a_label_error_names_its_field():
    with pytest.raises(LabelError) as refused:
        labels_zpl([], "a4-3x8")
    assert refused.value.field == "template"


def test_a_job_says_when_the_font_is_missing(make_user, units, settings):
    clerk = make_user("warehouse", "clerk")
    job = Job.objects.create(
        kind="labels",
        created_by=clerk,
        params={"source": "batch", "batch": "B2601", "template": "a4-3x8", "format": "pdf"},
    )
    settings.UNITRACE_PDF_FONT = "/nonexistent/font.ttf"
    run_job(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error.startswith("The PDF cannot be made")  # the reason, not a traceback
