"""Web pages: who may open them, what they show, and that they call the same services."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from unitrace.core.models import Job
from unitrace.core.testing.pages import without_tokens
from unitrace.serials import genealogy
from unitrace.serials.labels import MAX_LABELS
from unitrace.serials.models import Unit
from unitrace.serials.statuses import Status

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def unit(sku, batch, warehouse, customer):
    start = timezone.now() - timedelta(days=40)
    return f.UnitFactory(
        sku=sku,
        serial="AC0001",
        supplier_serial="SUP-9",
        batch=batch,
        production_date=batch.production_date,
        registered=start,
        history=[
            f.received(warehouse, when=start + timedelta(days=1), ref_type="GRN", ref_id="G-7"),
            f.delivered(customer, when=start + timedelta(days=2), ref_type="DN", ref_id="DN-1"),
        ],
    )


def csv_upload(text: str, name: str = "units.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.replace("\n", "\r\n").encode("utf-8-sig"), "text/csv")


PAGES = [
    ("serials:home", {}),
    ("serials:scan", {}),
    ("serials:scan_result", {}),
    ("serials:unit_search", {}),
    ("serials:unit_list", {}),
    ("serials:import", {}),
    ("serials:generate", {}),
    ("serials:labels", {"fmt": "pdf"}),
    ("core:job_list", {}),
]


# --- access ----------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_anonymous_is_sent_to_login(client, name, kwargs):
    url = reverse(name, kwargs=kwargs)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_anonymous_unit_file_is_sent_to_login(client, unit):
    response = client.get(reverse("serials:unit_detail", args=[unit.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(("name", "kwargs"), [p for p in PAGES if p[0] != "core:job_list"])
def test_user_without_role_gets_403(login, name, kwargs):
    client = login(None)
    assert client.get(reverse(name, kwargs=kwargs)).status_code == 403


def test_user_without_role_gets_403_on_unit_file(login, unit):
    client = login(None)
    assert client.get(reverse("serials:unit_detail", args=[unit.pk])).status_code == 403


@pytest.mark.parametrize("name", ["serials:import", "serials:generate"])
def test_registering_needs_add_unit(login, name):
    client = login("agent")
    assert client.get(reverse(name)).status_code == 403
    assert client.post(reverse(name), {}).status_code == 403


def test_labels_need_print_permission(login, unit):
    client = login("agent")
    response = client.get(reverse("serials:labels", args=["pdf"]), {"ids": unit.pk})
    assert response.status_code == 403


def test_distributor_sees_only_its_units(login, unit, distributor):
    client = login("sales", "dist-user", party=distributor)
    assert client.get(reverse("serials:unit_detail", args=[unit.pk])).status_code == 404
    page = client.get(reverse("serials:scan"), {"code": "AC0001"})
    assert "no unit with serial ac0001" in page.content.decode().lower()
    assert "AC0001" not in client.get(reverse("serials:unit_list")).content.decode()


def test_navigation_follows_permissions(login):
    agent = login("agent").get(reverse("serials:home")).content.decode()
    assert reverse("serials:unit_list") in agent
    assert reverse("serials:import") not in agent
    clerk = login("warehouse", "clerk").get(reverse("serials:home")).content.decode()
    assert reverse("serials:import") in clerk and reverse("serials:generate") in clerk


def test_login_page_and_logout(client, make_user):
    page = client.get(reverse("accounts:login"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="username"' in html and 'name="password"' in html
    assert 'action="/i18n/setlang/"' in html and 'value="zh-hans"' in html
    make_user("warehouse", "clerk")
    response = client.post(reverse("accounts:login"), {"username": "clerk", "password": f.PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("serials:home")
    home = client.get(reverse("serials:home")).content.decode()
    assert "clerk" in home and reverse("accounts:logout") in home
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("serials:home")).status_code == 302


def test_pages_use_no_external_urls(login, unit):
    client = login("warehouse")
    for url in (reverse("serials:home"), reverse("serials:unit_detail", args=[unit.pk])):
        html = client.get(url).content.decode()
        assert "htmx" in html  # served locally by django-htmx
        assert 'src="http' not in html and 'href="http' not in html


# --- scan and search -------------------------------------------------------------------


def test_scan_page_has_one_autofocused_field(login):
    html = login("warehouse").get(reverse("serials:home")).content.decode()
    assert html.count('id="scan-input"') == 1
    assert 'name="code"' in html and "autofocus" in html
    assert f'hx-get="{reverse("serials:scan_result")}"' in html
    assert f'action="{reverse("serials:scan")}"' in html


def test_scan_result_partial_found(login, unit):
    client = login("warehouse")
    response = client.get(
        reverse("serials:scan_result"), {"code": "AC0001"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'data-outcome="found"' in html
    assert "Open file" in html and reverse("serials:unit_detail", args=[unit.pk]) in html
    assert "In warranty until" in html


def test_scan_full_page_without_javascript(login, unit):
    client = login("warehouse")
    html = client.get(reverse("serials:scan"), {"code": " AC0001 "}).content.decode()
    assert "<html" in html and 'data-outcome="found"' in html and 'id="scan-input"' in html


def test_scan_gs1_element_string_and_digital_link(login, unit, sku):
    client = login("warehouse")
    for code in (
        f"]C101{sku.gtin}21AC0001",
        f"(01){sku.gtin}(21)AC0001",
        f"https://id.example.com/01/{sku.gtin}/21/AC0001",
    ):
        html = client.get(reverse("serials:scan_result"), {"code": code}).content.decode()
        assert 'data-outcome="found"' in html, code
        assert reverse("serials:unit_detail", args=[unit.pk]) in html


def test_scan_public_label_url(login, unit):
    client = login("warehouse")
    url = f"https://any.example.com/u/{unit.public_token}/"
    html = client.get(reverse("serials:scan_result"), {"code": url}).content.decode()
    assert 'data-outcome="found"' in html


def test_scan_open_directly(login, unit):
    client = login("warehouse")
    target = reverse("serials:unit_detail", args=[unit.pk])
    full = client.get(reverse("serials:scan"), {"code": "AC0001", "go": "1"})
    assert full.status_code == 302 and full["Location"] == target
    partial = client.get(
        reverse("serials:scan_result"), {"code": "AC0001", "go": "1"}, HTTP_HX_REQUEST="true"
    )
    assert partial["HX-Redirect"] == target


def test_scan_ambiguous_lists_candidates(login, unit, batch):
    other = f.SKUFactory(code="AC-200", name="空调外机", serial_pattern="X{SEQ:4}")
    f.UnitFactory(sku=other, serial="AC0001")
    client = login("warehouse")
    html = client.get(reverse("serials:scan_result"), {"code": "AC0001"}).content.decode()
    assert 'data-outcome="ambiguous"' in html
    assert "exists under 2 SKUs" in html
    assert "AC-100" in html and "AC-200" in html


def test_scan_not_found_and_invalid(login, unit, sku):
    client = login("warehouse")
    html = client.get(reverse("serials:scan_result"), {"code": "NOPE42"}).content.decode()
    assert 'data-outcome="not_found"' in html and "No unit with serial NOPE42" in html
    html = client.get(reverse("serials:scan_result"), {"code": f"(01){sku.gtin}"}).content.decode()
    assert "has a GTIN but no serial" in html
    html = client.get(reverse("serials:scan_result"), {"code": "  "}).content.decode()
    assert 'data-outcome="invalid"' in html and "Nothing was scanned." in html


def test_partial_serial_search(login, unit):
    client = login("warehouse")
    partial = client.get(reverse("serials:unit_search"), {"q": "0001"}, HTTP_HX_REQUEST="true")
    assert "AC0001" in partial.content.decode() and "<html" not in partial.content.decode()
    full = client.get(reverse("serials:home"), {"q": "AC00"}).content.decode()
    assert "<html" in full and reverse("serials:unit_detail", args=[unit.pk]) in full
    none = client.get(reverse("serials:unit_search"), {"q": "ZZZ9"}, HTTP_HX_REQUEST="true")
    assert "No unit matches" in none.content.decode()


# --- list and labels -------------------------------------------------------------------


def test_unit_list_filters_and_keyset_pages(login, sku, batch, warehouse):
    f.registered_units(sku, [f"L{i:04d}" for i in range(1, 56)], batch=batch)
    f.UnitFactory(sku=sku, serial="OTHER1", history=[f.received(warehouse)])
    client = login("warehouse")
    first = client.get(reverse("serials:unit_list"), {"serial_prefix": "L"})
    html = first.content.decode()
    assert first.status_code == 200
    assert html.count('name="ids"') == 50
    assert "L0055" in html and "L0006" in html and "L0005" not in html
    assert "OTHER1" not in html
    next_link = first.context["page"]["next"]
    assert next_link and first.context["page"]["previous"] is None
    second = client.get(reverse("serials:unit_list") + next_link)
    html2 = second.content.decode()
    assert html2.count('name="ids"') == 5 and "L0001" in html2 and "L0055" not in html2
    assert second.context["page"]["next"] is None
    back = client.get(reverse("serials:unit_list") + second.context["page"]["previous"])
    assert "L0055" in back.content.decode() and back.context["page"]["previous"] is None
    in_stock = client.get(reverse("serials:unit_list"), {"group": "in_stock"}).content.decode()
    assert "OTHER1" in in_stock and "L0001" not in in_stock
    by_batch = client.get(reverse("serials:unit_list"), {"batch": "B2601", "status": "registered"})
    assert "L0055" in by_batch.content.decode() and "OTHER1" not in by_batch.content.decode()
    by_warehouse = client.get(reverse("serials:unit_list"), {"warehouse": "HQ", "sku": "AC-100"})
    assert "OTHER1" in by_warehouse.content.decode()
    assert "L0001" not in by_warehouse.content.decode()


def test_unit_list_with_bad_filter_shows_error(login, unit):
    html = login("warehouse").get(reverse("serials:unit_list"), {"status": "bogus"}).content
    assert b"alert-error" in html


def test_labels_pdf_and_svg(login, unit):
    client = login("warehouse")
    pdf = client.get(reverse("serials:labels", args=["pdf"]), {"ids": str(unit.pk)})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    svg = client.post(reverse("serials:labels", args=["svg"]), {"ids": [unit.pk]})
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    assert b"AC0001" in svg.content


def test_labels_refuse_invisible_empty_and_too_many(login, unit, distributor):
    client = login("warehouse")
    url = reverse("serials:labels", args=["pdf"])
    assert client.get(url).status_code == 400
    too_many = ",".join(str(i) for i in range(1, MAX_LABELS + 2))
    assert client.get(url, {"ids": too_many}).status_code == 400
    assert client.get(url, {"ids": "999999"}).status_code == 404
    posted = client.post(url, {"ids": [], "next": "/units/?sku=AC-100"})
    assert posted.status_code == 302 and posted["Location"] == "/units/?sku=AC-100"
    evil = client.post(url, {"next": "https://evil.example.com/"})
    assert evil["Location"] == reverse("serials:unit_list")
    scoped = login("procurement", "scoped", party=distributor)
    assert scoped.get(url, {"ids": unit.pk}).status_code == 404


# --- the unit's file -------------------------------------------------------------------


def test_unit_file_shows_everything(login, unit):
    client = login("warehouse")
    response = client.get(reverse("serials:unit_detail", args=[unit.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "AC0001" in html and "AC-100" in html and "空调室内机" in html
    assert "06901234567892" in html and "B2601" in html and "华东电子" in html
    assert "SUP-9" in html and "01/15/2026" in html  # the production date, in English
    assert "delivered / sold" in html  # status badge and timeline label
    assert "In warranty until" in html
    # timeline: newest first, with document references
    assert html.index("DN-1") < html.index("G-7")
    assert html.count('class="tl-item') == 3
    # holder's personal data is masked for the warehouse role
    assert "张*" in html and "张三" not in html
    assert "138****1234" in html and "13812341234" not in html
    assert "<svg" in html and 'class="qr"' in html
    assert reverse("serials:labels", args=["pdf"]) + f"?ids={unit.pk}" in html


def test_unit_file_unmasked_for_pii_role(login, unit):
    html = login("agent").get(reverse("serials:unit_detail", args=[unit.pk])).content.decode()
    assert "13812341234" in html and "文三路 100 号" in html
    assert reverse("serials:labels", args=["pdf"]) not in html


def test_unit_file_components_where_used_and_moment(login, sku, component_skus):
    board_sku, chip_sku = component_skus
    now = timezone.now()
    top, board, chip = (
        f.UnitFactory(sku=item, serial=serial, registered=now - timedelta(days=10))
        for item, serial in ((sku, "TOP1"), (board_sku, "PB00000001"), (chip_sku, "CP00000001"))
    )
    genealogy.install_component(board, chip, when=now - timedelta(days=5), position="U1")
    genealogy.install_component(top, board, when=now - timedelta(days=3), position="main")
    client = login("engineer")
    html = client.get(reverse("serials:unit_detail", args=[top.pk])).content.decode()
    assert 'class="tree"' in html
    assert "PB00000001" in html and "CP00000001" in html and "U1" in html and "main" in html
    assert html.index("PB00000001") < html.index("CP00000001")
    chip_page = client.get(reverse("serials:unit_detail", args=[chip.pk])).content.decode()
    assert 'class="chain"' in chip_page
    assert chip_page.index("PB00000001") < chip_page.index("TOP1")
    at = (timezone.localtime(now - timedelta(days=4))).strftime("%Y-%m-%dT%H:%M")
    before = client.get(reverse("serials:unit_detail", args=[top.pk]), {"at": at})
    assert (
        "PB00000001"
        not in before.content.decode().split('id="tree-title"')[1].split("</section>")[0]
    )
    bad = client.get(reverse("serials:unit_detail", args=[top.pk]), {"at": "yesterday"})
    assert "is not a date and time" in bad.content.decode()


def test_public_unit_page_needs_no_login_and_shows_nothing_personal(client, unit):
    response = client.get(reverse("serials:public_unit", args=[unit.public_token]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Registered genuine unit" in html
    assert "AC0001" in html and "空调室内机" in html and "AC-100" in html and "01/15/2026" in html
    shown = without_tokens(html)
    for personal in ("张三", "1234", "文三路", "HQ", "DN-1"):
        assert personal not in shown
    assert response["X-Robots-Tag"] == "noindex"
    assert client.get("/u/nonexistenttoken/").status_code == 404


# --- import, generate, jobs ------------------------------------------------------------


BAD_CSV = "sku,serial\nAC-100,IMP001\nNOPE,IMP002\nAC-100,IMP001\n"


def test_import_page_shows_both_forms(login):
    html = login("warehouse").get(reverse("serials:import")).content.decode()
    assert 'type="file"' in html and 'name="mode"' in html and 'value="valid-only"' in html
    assert 'name="list-serials"' in html


def test_import_file_with_errors_shows_rows_on_job_page(login, sku):
    client = login("warehouse")
    response = client.post(
        reverse("serials:import"), {"file": csv_upload(BAD_CSV), "mode": "all"}, follow=True
    )
    html = response.content.decode()
    job = Job.objects.get()
    assert response.redirect_chain[-1][0] == reverse("core:job_detail", args=[job.pk])
    assert job.status == Job.Status.FAILED
    assert "nothing was imported" in html
    assert "unknown SKU &#x27;NOPE&#x27;" in html or "unknown SKU 'NOPE'" in html
    assert "duplicate of row 2 in this file" in html
    assert reverse("core:job_report", args=[job.pk]) in html
    assert "hx-trigger" not in html  # finished: no more polling
    assert not Unit.objects.filter(serial__startswith="IMP").exists()
    report = client.get(reverse("core:job_report", args=[job.pk]))
    assert report["Content-Type"].startswith("text/csv")
    assert "attachment" in report["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(report.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["row", "column", "value", "error"]  # then the original row
    assert ["3", "sku", "NOPE", "unknown SKU 'NOPE'"] in [r[:4] for r in rows]


def test_import_file_valid_rows_only_and_defaults(login, sku, batch, warehouse):
    client = login("warehouse")
    response = client.post(
        reverse("serials:import"),
        {
            "file": csv_upload("serial\nIMP010\nIMP011\nIMP010\n"),
            "mode": "valid-only",
            "sku": "AC-100",
            "batch": "B2601",
            "warehouse": "HQ",
        },
        follow=True,
    )
    html = response.content.decode()
    job = Job.objects.get()
    assert job.status == Job.Status.SUCCEEDED
    assert job.params == {
        "mode": "valid-only",
        "sku": sku.pk,
        "batch": batch.pk,
        "warehouse": warehouse.pk,
    }
    assert "Units registered" in html and "duplicate of row 2 in this file" in html
    created = Unit.objects.get(serial="IMP010")
    assert (created.batch_id, created.warehouse_id, created.status) == (
        batch.pk,
        warehouse.pk,
        Status.REGISTERED,
    )


def test_import_form_errors_stay_on_page(login, sku):
    client = login("warehouse")
    response = client.post(
        reverse("serials:import"),
        {"file": csv_upload(BAD_CSV), "mode": "all", "sku": "NOPE", "batch": "B9"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "No serialized SKU has the code NOPE." in html
    assert not Job.objects.exists()
    missing = client.post(reverse("serials:import"), {"mode": "all"}).content.decode()
    assert "This field is required." in missing


def test_paste_list_with_ranges(login, sku, batch):
    client = login("warehouse")
    response = client.post(
        reverse("serials:import"),
        {
            "action": "list",
            "list-serials": "PL0001-PL0003\nPL0010, PL0010",
            "list-sku": "AC-100",
            "list-batch": "B2601",
            "list-mode": "all",
        },
    )
    html = response.content.decode()
    assert "duplicate of row 4 in this file" in html and "nothing was imported" in html
    assert not Unit.objects.filter(serial__startswith="PL").exists()
    ok = client.post(
        reverse("serials:import"),
        {
            "action": "list",
            "list-serials": "PL0001-PL0003\nPL0010",
            "list-sku": "AC-100",
            "list-mode": "all",
        },
    )
    assert "4 units of AC-100 registered." in ok.content.decode()
    assert Unit.objects.filter(serial__startswith="PL").count() == 4
    bad_range = client.post(
        reverse("serials:import"),
        {"action": "list", "list-serials": "A0005-A0001", "list-sku": "AC-100", "list-mode": "all"},
    )
    assert 'class="field-error"' in bad_range.content.decode()


def test_generate_runs_a_job(login, sku, batch):
    client = login("warehouse")
    page = client.get(reverse("serials:generate")).content.decode()
    assert "AC{YY}{MM}{SEQ:6}{CHECK}" in page
    response = client.post(
        reverse("serials:generate"), {"sku": "AC-100", "count": "5", "batch": "B2601"}, follow=True
    )
    html = response.content.decode()
    job = Job.objects.get()
    assert job.kind == "units.generate" and job.status == Job.Status.SUCCEEDED
    assert "Serials generated" in html and "100%" in html
    assert Unit.objects.filter(sku=sku, batch=batch).count() == 5
    invalid = client.post(reverse("serials:generate"), {"sku": "AC-100", "count": "0"})
    assert invalid.status_code == 200 and Job.objects.count() == 1


def test_job_progress_polls_until_finished(login, settings):
    client = login("warehouse")
    job = Job.objects.create(kind="units.import", created_by=client.user, total=10)
    partial = client.get(reverse("core:job_progress", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 500ms"' in partial
    assert reverse("core:job_progress", args=[job.pk]) in partial
    Job.objects.filter(pk=job.pk).update(status=Job.Status.SUCCEEDED, result={"created": 10})
    done = client.get(reverse("core:job_progress", args=[job.pk])).content.decode()
    assert "hx-trigger" not in done and "Units registered" in done
    listing = client.get(reverse("core:job_list")).content.decode()
    assert reverse("core:job_detail", args=[job.pk]) in listing and "Unit import" in listing


def test_jobs_of_others_are_hidden_without_view_job(login, make_user):
    owner = make_user("warehouse", "owner")
    job = Job.objects.create(kind="units.generate", created_by=owner, report="row\n")
    client = login("engineer")
    assert client.get(reverse("core:job_detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("core:job_report", args=[job.pk])).status_code == 404
