"""Every write through the catalog admin leaves a before/after change-log entry."""

from datetime import timedelta

import pytest
from django.utils import timezone

from unitrace.accounts.tests.admin_forms import form_data
from unitrace.catalog.models import SKU, Batch, Category, ComponentSpec
from unitrace.core.models import ChangeLog

pytestmark = pytest.mark.django_db


def logged(model: str, action: str | None = None):
    rows = ChangeLog.objects.filter(object_type=model).order_by("id")
    return rows.filter(action=action) if action else rows


def assert_attributed(entry: ChangeLog, admin_user) -> None:
    assert (entry.user_id, entry.username, entry.ip_address) == (admin_user.pk, "root", "127.0.0.1")
    assert entry.user_agent == "pytest-admin"
    assert timezone.now() - entry.time < timedelta(minutes=1)


def test_delete_selected_logs_each_category(admin_browser, admin_user):
    kept = Category.objects.create(name="门锁")
    doomed = [Category.objects.create(name="空调"), Category.objects.create(name="电脑")]
    response = admin_browser.post(
        "/admin/catalog/category/",
        {
            "action": "delete_selected",
            "_selected_action": [str(c.pk) for c in doomed],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert list(Category.objects.all()) == [kept]
    entries = list(logged("catalog.category"))
    assert sorted(e.object_id for e in entries) == sorted(str(c.pk) for c in doomed)
    for entry in entries:
        assert entry.action == ChangeLog.Action.DELETE
        assert entry.before["name"] in {"空调", "电脑"} and entry.after is None
        assert_attributed(entry, admin_user)


def test_delete_selected_of_a_protected_category_deletes_and_logs_nothing(admin_browser, sku):
    used = Category.objects.create(name="空调")
    SKU.objects.filter(pk=sku.pk).update(category=used)
    admin_browser.post(
        "/admin/catalog/category/",
        {"action": "delete_selected", "_selected_action": [str(used.pk)], "post": "yes"},
    )
    assert Category.objects.filter(pk=used.pk).exists()
    assert not logged("catalog.category").exists()


def test_deleting_a_sku_logs_the_key_components_it_takes_along(admin_browser, admin_user):
    product = SKU.objects.create(code="AC-9", name="空调")
    board = SKU.objects.create(code="PCB-9", name="主板")
    spec = ComponentSpec.objects.create(parent=product, component=board, position="main")
    response = admin_browser.post(f"/admin/catalog/sku/{product.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    [sku_entry] = logged("catalog.sku", ChangeLog.Action.DELETE)
    assert sku_entry.before["code"] == "AC-9"
    [spec_entry] = logged("catalog.componentspec", ChangeLog.Action.DELETE)
    assert spec_entry.object_id == str(spec.pk)
    assert spec_entry.before == {
        "id": spec.pk,
        "parent": product.pk,
        "component": board.pk,
        "quantity": 1,
        "position": "main",
    }
    assert_attributed(spec_entry, admin_user)


def test_key_component_edits_in_the_sku_inline_are_logged(admin_browser, admin_user, sku):
    board = SKU.objects.create(code="PCB-1", name="主板")
    fan = SKU.objects.create(code="FAN-1", name="风扇")
    chip = SKU.objects.create(code="CHIP-1", name="芯片")
    changed = ComponentSpec.objects.create(parent=sku, component=board, quantity=1)
    removed = ComponentSpec.objects.create(parent=sku, component=fan, quantity=1)
    url = f"/admin/catalog/sku/{sku.pk}/change/"
    data = form_data(admin_browser.get(url))
    prefix = "components"
    rows = {data[f"{prefix}-{i}-id"]: i for i in range(int(data[f"{prefix}-TOTAL_FORMS"]))}
    data[f"{prefix}-{rows[str(changed.pk)]}-quantity"] = "2"
    data[f"{prefix}-{rows[str(removed.pk)]}-DELETE"] = "on"
    new = int(data[f"{prefix}-TOTAL_FORMS"])
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": str(new + 1),
            f"{prefix}-{new}-component": str(chip.pk),
            f"{prefix}-{new}-quantity": "4",
            f"{prefix}-{new}-position": "U7",
            f"{prefix}-{new}-parent": str(sku.pk),
        }
    )
    data["warranty_months"] = "24"
    response = admin_browser.post(url, data)
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors

    [update] = logged("catalog.componentspec", ChangeLog.Action.UPDATE)
    assert (update.object_id, update.before, update.after) == (
        str(changed.pk),
        {"id": changed.pk, "quantity": 1},
        {"id": changed.pk, "quantity": 2},
    )
    [delete] = logged("catalog.componentspec", ChangeLog.Action.DELETE)
    assert (delete.object_id, delete.before["component"], delete.after) == (
        str(removed.pk),
        fan.pk,
        None,
    )
    [create] = logged("catalog.componentspec", ChangeLog.Action.CREATE)
    added = ComponentSpec.objects.get(parent=sku, component=chip)
    assert (create.object_id, create.before) == (str(added.pk), None)
    assert create.after == {
        "id": added.pk,
        "parent": sku.pk,
        "component": chip.pk,
        "quantity": 4,
        "position": "U7",
    }
    [sku_entry] = logged("catalog.sku")
    assert (sku_entry.before, sku_entry.after) == (
        {"id": sku.pk, "warranty_months": 12},
        {"id": sku.pk, "warranty_months": 24},
    )
    for entry in (update, delete, create, sku_entry):
        assert_attributed(entry, admin_user)


def test_inline_refuses_a_non_serialized_key_component(admin_browser, sku):
    screw = SKU.objects.create(code="SCREW", name="螺丝", serialized=False)
    url = f"/admin/catalog/sku/{sku.pk}/change/"
    data = form_data(admin_browser.get(url))
    data.update(
        {
            "components-TOTAL_FORMS": "1",
            "components-0-component": str(screw.pk),
            "components-0-quantity": "1",
            "components-0-parent": str(sku.pk),
        }
    )
    response = admin_browser.post(url, data)
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors
    assert "SCREW is not serialized" in str(errors)
    assert not ComponentSpec.objects.exists()
    assert not ChangeLog.objects.exclude(object_type="auth.user").exists()  # but the login


def test_batch_admin_refuses_a_future_production_date(admin_browser, sku):
    url = "/admin/catalog/batch/add/"
    data = form_data(admin_browser.get(url))
    data.update({"sku": str(sku.pk), "code": "B1", "production_date": "2099-01-01"})
    response = admin_browser.post(url, data)
    assert response.status_code == 200
    assert "in the future" in str(response.context["adminform"].form.errors["production_date"])
    assert not Batch.objects.exists()
