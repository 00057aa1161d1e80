"""Party pages: list, search, detail, create, edit; masking, scope, export."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from tests import factories as f
from unitrace.core.models import ChangeLog
from unitrace.core.testing.pages import without_tokens
from unitrace.parties.models import Party

pytestmark = pytest.mark.django_db
HUGE = "9" * 30


def _html(response, status: int = 200) -> str:
    assert response.status_code == status, response.content[:800]
    return without_tokens(response.content.decode())


def test_staff_with_pii_see_everything_and_the_read_is_recorded(login, customer, supplier):
    client = login("manager", "boss")  # parties.view_pii
    html = _html(client.get(reverse("parties:party_list")))
    assert "张三" in html and "13812341234" in html and "华东电子" in html
    assert ChangeLog.objects.filter(action="read", object_type="parties.party").exists()
    html = _html(client.get(reverse("parties:party_list"), {"q": "138 1234"}))
    assert "张三" in html and "华东电子" not in html  # found by the phone


def test_without_pii_names_and_phones_are_masked_and_not_searchable(login, customer, supplier):
    client = login("warehouse", "clerk")
    html = _html(client.get(reverse("parties:party_list")))
    assert "张三" not in html and "张*" in html and "138****1234" in html
    assert "华东电子" in html  # a company's name is not personal data
    assert "13812341234" not in html
    html = _html(client.get(reverse("parties:party_list"), {"q": "张三"}))
    assert "C1" not in html  # a person is not found by a name the user may not see
    html = _html(client.get(reverse("parties:party_list"), {"q": "13812341234"}))
    assert "C1" not in html
    html = _html(client.get(reverse("parties:party_detail", args=[customer.pk])))
    assert "张三" not in html and "文三路" not in html and "138****1234" in html
    assert not ChangeLog.objects.filter(action="read").exists()


@pytest.mark.parametrize(
    "params", [{"kind": "alien"}, {"page": HUGE}, {"q": "x" * 5000}, {"active": "maybe"}]
)
def test_bad_filters_never_fail(login, customer, params):
    assert _html(login("manager", "boss").get(reverse("parties:party_list"), params))


def test_create_normalizes_the_phone_and_checks_the_region(login):
    client = login("admin", "root")
    url = reverse("parties:party_create")
    form = {
        "kind": "supplier",
        "code": "",
        "name": "宁波精密",
        "is_company": "on",
        "phone": "138 0000 1111",
        "province": "浙江省",
        "city": "宁波市",
        "active": "on",
    }
    response = client.post(url, form)
    assert response.status_code == 302
    made = Party.objects.get(name="宁波精密")
    assert made.phone == "13800001111" and made.code.startswith("S")
    html = _html(client.post(url, {**form, "name": "别家", "city": "不存在市"}), 400)
    assert 'class="field-error"' in html
    html = _html(client.post(url, {**form, "name": "又一家", "phone": "12345"}), 400)
    assert 'class="field-error"' in html
    html = _html(client.post(url, {**form, "code": made.code, "name": "重复"}), 400)
    assert Party.objects.filter(code=made.code).count() == 1


def test_edit_without_pii_keeps_the_hidden_values(login, customer):
    client = login("procurement", "buyer")  # may change parties, may not see PII
    url = reverse("parties:party_edit", args=[customer.pk])
    html = _html(client.get(url))
    assert "13812341234" not in html and "138****1234" in html
    assert "张三" not in html and 'value="张*"' in html  # a person's name is masked too
    form = {
        "name": "张*",
        "contact": "",
        "phone": "138****1234",  # sent back as shown
        "province": customer.province,
        "city": customer.city,
        "district": customer.district,
        "address": "文三****",
        "active": "on",
    }
    assert client.post(url, form).status_code == 302  # sent back as shown: all kept
    customer.refresh_from_db()
    assert customer.phone == "13812341234" and customer.address == "文三路 100 号"
    assert customer.name == "张三"
    # an edited mask is refused rather than saved over the real value
    html = _html(client.post(url, {**form, "name": "张*丰"}), 400)
    assert 'class="field-error"' in html
    assert client.post(url, {**form, "name": "李四", "phone": "13900001111"}).status_code == 302
    customer.refresh_from_db()
    assert (customer.name, customer.phone) == ("李四", "13900001111")


def test_a_partner_sees_only_its_own_party(client, distributor, customer):
    user = f.UserFactory(role="sales", username="dist", party=distributor)
    client.force_login(user)
    html = _html(client.get(reverse("parties:party_list")))
    assert distributor.code in html and "C1" not in html
    assert client.get(reverse("parties:party_detail", args=[customer.pk])).status_code == 404


def test_pages_are_permission_checked(login, customer):
    nobody = login(None)
    assert nobody.get(reverse("parties:party_list")).status_code == 403
    clerk = login("warehouse", "clerk")
    assert clerk.get(reverse("parties:party_create")).status_code == 403
    assert clerk.get(reverse("parties:party_edit", args=[customer.pk])).status_code == 403
    assert clerk.get(reverse("parties:party_detail", args=[int(HUGE)])).status_code == 404


def test_export_is_masked_like_the_page(login, customer):
    clerk = login("warehouse", "clerk")
    response = clerk.get(reverse("core:export", args=["parties"]), {"kind": "customer"})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[1][0] == "C1" and rows[1][2] == "张*" and rows[1][5] == "138****1234"
    boss = login("manager", "boss")
    response = boss.get(reverse("core:export", args=["parties"]), {"kind": "customer"})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[1][2] == "张三" and rows[1][5] == "13812341234"
    assert ChangeLog.objects.filter(action="read", object_type="parties.party").exists()
