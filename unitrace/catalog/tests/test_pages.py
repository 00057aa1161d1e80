"""SKU and batch pages: list, filters, detail, create and edit, scope, export."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from tests import factories as f
from unitrace.catalog.models import SKU, Batch, Category
from unitrace.core.models import ChangeLog

pytestmark = pytest.mark.django_db
HUGE = "9" * 30


def _html(response, status: int = 200) -> str:
    assert response.status_code == status, response.content[:500]
    return response.content.decode()


def test_sku_list_searches_and_filters(login, sku):
    fridges = Category.objects.create(name="冰箱")
    f.SKUFactory(code="FR-200", name="双门冰箱", category=fridges, serialized=False)
    f.SKUFactory(code="OLD-1", name="旧款", active=False)
    client = login("warehouse", "clerk")
    url = reverse("catalog:sku_list")
    html = _html(client.get(url))
    assert "AC-100" in html and "FR-200" in html and "OLD-1" in html
    assert reverse("core:export", args=["skus"]) in html
    assert 'id="new-record"' not in html  # a clerk may not create SKUs
    html = _html(client.get(url, {"q": "冰箱"}))
    assert "FR-200" in html and "AC-100" not in html
    html = _html(client.get(url, {"q": "６９０１２３"}))  # full-width digits of the GTIN?
    assert "AC-100" not in html  # searched as typed, found nothing, no error
    html = _html(client.get(url, {"category": fridges.pk, "serialized": "no"}))
    assert "FR-200" in html and "AC-100" not in html
    html = _html(client.get(url, {"active": "no"}))
    assert "OLD-1" in html and "FR-200" not in html


@pytest.mark.parametrize(
    "params",
    [
        {"category": HUGE},
        {"category": "-1"},
        {"category": "abc"},
        {"page": HUGE},
        {"serialized": "maybe"},
        {"q": "x" * 5000},
        {"warranty_start": "never"},
    ],
)
def test_bad_filters_are_explained_never_a_failure(login, sku, params):
    client = login("warehouse", "clerk")
    html = _html(client.get(reverse("catalog:sku_list"), params))
    assert "AC-100" in html  # the bad filter is left out, the list still shows


def test_nul_bytes_are_refused_in_the_search(login, sku):
    client = login("warehouse", "clerk")
    response = client.get(reverse("catalog:sku_list"), {"q": "AC\x00"})
    assert response.status_code == 400


def test_huge_ids_are_not_found(login):
    client = login("admin", "root")
    for name in ("catalog:sku_detail", "catalog:sku_edit", "catalog:batch_detail"):
        assert client.get(reverse(name, args=[int(HUGE)])).status_code == 404


def test_sku_detail_shows_rules_components_and_batches(login, sku, batch, component_skus):
    client = login("warehouse", "clerk")
    html = _html(client.get(reverse("catalog:sku_detail", args=[sku.pk])))
    assert "AC{YY}{MM}{SEQ:6}{CHECK}" in html and "06901234567892" in html
    assert batch.code in html
    assert 'id="edit-record"' not in html


def test_create_sku_validates_and_logs(login):
    client = login("admin", "root")
    url = reverse("catalog:sku_create")
    assert _html(client.get(url))
    bad = {
        "code": "WM-1",
        "name": "洗衣机",
        "gtin": "123",
        "serial_pattern": "{NOPE}",
        "serial_max_length": "20",
        "warranty_months": "99999999",
        "warranty_start": "sale",
        "serialized": "on",
        "active": "on",
    }
    html = _html(client.post(url, bad), 400)
    assert html.count('class="field-error"') >= 3  # GTIN, serial rule, warranty months
    assert not SKU.objects.filter(code="WM-1").exists()
    good = {**bad, "gtin": "6901234567892", "serial_pattern": "WM{SEQ:6}", "warranty_months": "24"}
    response = client.post(url, good)
    created = SKU.objects.get(code="WM-1")
    assert response.status_code == 302 and response["Location"] == reverse(
        "catalog:sku_detail", args=[created.pk]
    )
    assert created.gtin == "06901234567892"  # stored as GTIN-14
    assert ChangeLog.objects.filter(object_type="catalog.sku", action="create").exists()
    again = _html(client.post(url, {**good, "gtin": ""}), 400)  # the code is taken
    assert "already exists" in again or "已存在" in again


def test_edit_sku_records_before_and_after(login, sku):
    client = login("admin", "root")
    url = reverse("catalog:sku_edit", args=[sku.pk])
    form = {
        "code": sku.code,
        "name": sku.name,
        "gtin": sku.gtin,
        "serial_pattern": sku.serial_pattern,
        "serial_max_length": "20",
        "warranty_months": "36",
        "warranty_start": "activation",
        "serialized": "on",
        "active": "on",
    }
    assert client.post(url, form).status_code == 302
    sku.refresh_from_db()
    assert (sku.warranty_months, sku.warranty_start) == (36, "activation")
    entry = ChangeLog.objects.filter(object_type="catalog.sku", action="update").latest("time")
    assert entry.before["warranty_months"] == 12 and entry.after["warranty_months"] == 36


def test_pages_are_permission_checked(login, sku):
    clerk = login("warehouse", "clerk")
    assert clerk.get(reverse("catalog:sku_create")).status_code == 403
    assert clerk.get(reverse("catalog:sku_edit", args=[sku.pk])).status_code == 403
    nobody = login(None)
    assert nobody.get(reverse("catalog:sku_list")).status_code == 403
    nobody.logout()
    assert nobody.get(reverse("catalog:sku_list")).status_code == 302  # to the login


def test_batch_form_reads_chinese_dates(login, sku, supplier):
    client = login("procurement", "buyer")
    url = reverse("catalog:batch_create")
    form = {
        "sku": sku.pk,
        "code": "Ｂ２６０１",
        "production_date": "2026年1月15日",
        "supplier": supplier.pk,
        "quantity": "100",
        "qc_status": "pending",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    batch = Batch.objects.get(sku=sku)
    assert batch.production_date.isoformat() == "2026-01-15"
    html = _html(client.post(url, {**form, "code": "B2", "production_date": "2099年1月1日"}), 400)
    assert "in the future" in html or "未来" in html


def test_a_partner_sees_only_the_batches_it_supplied(client, sku, supplier, batch):
    other = f.SupplierFactory(code="SUP-OTHER", name="别家")
    mine = Batch.objects.create(sku=sku, code="MINE-1", supplier=other)
    user = f.UserFactory(role="quality", username="partner", party=other)
    client.force_login(user)
    html = _html(client.get(reverse("catalog:batch_list")))
    assert "MINE-1" in html and batch.code not in html
    assert client.get(reverse("catalog:batch_detail", args=[batch.pk])).status_code == 404
    assert client.get(reverse("catalog:batch_detail", args=[mine.pk])).status_code == 200


def test_sku_export_is_the_filtered_list(login, sku):
    f.SKUFactory(code="FR-200", name="双门冰箱")
    client = login("warehouse", "clerk")
    response = client.get(reverse("core:export", args=["skus"]), {"q": "AC", "format": "xlsx"})
    assert response.status_code == 200
    assert "skus-" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == "AC-100"
    assert ChangeLog.objects.filter(action="export", object_type="catalog.sku").exists()
    bad = client.get(reverse("core:export", args=["skus"]), {"format": "pdf"})
    assert bad.status_code == 400


def test_export_needs_the_lists_permission(login, sku):
    nobody = login(None)
    assert nobody.get(reverse("core:export", args=["skus"])).status_code == 403
    assert nobody.get(reverse("core:export", args=["nope"])).status_code == 404


def test_numbers_beyond_what_a_column_holds_are_form_errors(login, sku):
    """SQLite stores any integer, PostgreSQL refuses: the form refuses on both."""
    client = login("admin", "root")
    form = {
        "code": "BIG-1",
        "name": "big",
        "serial_max_length": "41",  # the unit table's serial holds 40 characters
        "warranty_months": "601",
        "warranty_start": "sale",
    }
    html = _html(client.post(reverse("catalog:sku_create"), form), 400)
    assert html.count('class="field-error"') == 2
    batch = {"sku": sku.pk, "code": "B1", "quantity": HUGE, "qc_status": "pending"}
    _html(client.post(reverse("catalog:batch_create"), batch), 400)
    assert not SKU.objects.filter(code="BIG-1").exists() and not Batch.objects.exists()
