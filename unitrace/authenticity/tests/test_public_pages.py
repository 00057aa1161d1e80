"""The public pages through Django's test client: forms, messages, limits, no leaks."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from unitrace.authenticity import codes
from unitrace.authenticity.models import Verification
from unitrace.core.display import shown_date
from unitrace.serials.models import Unit
from unitrace.serials.statuses import Status

pytestmark = pytest.mark.django_db
FORM = {"phone": "139 0000 1111", "province": "浙江省", "city": "杭州市", "district": "西湖区"}


def activate_url(unit):
    return reverse("authenticity:activate", args=[unit.public_token])


def no_external_assets(html: str) -> bool:
    return not re.search(r"""(src|href)=["']?(https?:)?//""", html)


def test_activation_page_shows_the_serial_once_as_text(client, distributor_unit):
    response = client.get(activate_url(distributor_unit))
    html = response.content.decode()
    assert response.status_code == 200
    # once, in the product's facts: a second, read-only field copy looked editable
    assert html.count(distributor_unit.serial) == 1
    assert re.search(rf'<dd class="mono" id="unit-serial">{distributor_unit.serial}</dd>', html)
    assert f'value="{distributor_unit.serial}"' not in html
    assert 'name="serial"' not in html  # shown, never taken from the form
    assert 'name="phone"' in html and "<select" in html and "浙江省" in html
    assert no_external_assets(html)
    assert response["X-Robots-Tag"] == "noindex"


def test_public_pages_speak_chinese_by_default(client, distributor_unit, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    html = client.get(activate_url(distributor_unit)).content.decode()
    assert '<html lang="zh-hans">' in html


def test_activation_shows_the_warranty(client, distributor_unit):
    response = client.post(activate_url(distributor_unit), FORM)
    done = reverse("authenticity:activated", args=[distributor_unit.public_token])
    assert response.status_code == 302 and response["Location"] == done
    page = client.get(done).content.decode()
    end = timezone.localdate() + relativedelta(months=12) - timedelta(days=1)
    assert f"In warranty until {date_format(end, 'SHORT_DATE_FORMAT')}" in page
    # the verdict is said once; the line below gives the rule's length and start instead
    assert page.count("In warranty") == 1
    assert f"12 months from {date_format(timezone.localdate(), 'SHORT_DATE_FORMAT')}" in page
    assert "13900001111" not in page and "139****1111" not in page
    unit = Unit.objects.get(pk=distributor_unit.pk)
    assert unit.status == Status.ACTIVATED
    assert unit.events.get(type="activated").source == "public"


def test_invalid_phone_is_explained_next_to_the_field(client, distributor_unit):
    response = client.post(activate_url(distributor_unit), {**FORM, "phone": "12345"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter an 11-digit Chinese mobile number starting with 1" in html
    assert 'value="12345"' in html  # what was typed stays
    distributor_unit.refresh_from_db()
    assert distributor_unit.activated_at is None


def test_missing_region_is_explained(client, distributor_unit):
    response = client.post(activate_url(distributor_unit), {**FORM, "province": "", "city": ""})
    html = response.content.decode()
    assert "This field is required." in html
    distributor_unit.refresh_from_db()
    assert distributor_unit.activated_at is None


def test_second_activation_is_refused_on_the_page(client, distributor_unit):
    client.post(activate_url(distributor_unit), FORM)
    page = client.get(activate_url(distributor_unit)).content.decode()
    assert f"already activated on {shown_date(timezone.localdate())}" in page
    assert 'id="activation-form"' not in page
    again = client.post(activate_url(distributor_unit), {**FORM, "phone": "13611112222"})
    assert again.status_code == 409


def test_unsold_unit_cannot_be_activated_from_the_page(client, stock_unit):
    page = client.get(activate_url(stock_unit)).content.decode()
    assert "has not been sold yet" in page
    assert client.post(activate_url(stock_unit), FORM).status_code == 409


def test_unknown_token_is_a_friendly_404(client, db):
    response = client.get(reverse("authenticity:activate", args=["NoSuchToken123"]))
    assert response.status_code == 404
    assert "We do not recognise this code" in response.content.decode()


def test_activation_by_scanned_signed_link(client, distributor_unit):
    link = codes.signed_digital_link(distributor_unit)
    response = client.get(reverse("authenticity:activate_by_code"), {"code": link})
    assert response.status_code == 302 and response["Location"] == activate_url(distributor_unit)
    unsigned = link.split("?")[0]
    response = client.get(reverse("authenticity:activate_by_code"), {"code": unsigned})
    assert response.status_code == 404
    assert client.get(reverse("authenticity:activate_by_code")).status_code == 200


def test_activation_posts_are_rate_limited(client, distributor_unit, settings):
    settings.AUTHENTICITY_RATE_LIMIT = 2
    bad = {**FORM, "phone": "1"}
    assert [client.post(activate_url(distributor_unit), bad).status_code for _ in range(3)] == [
        200,
        200,
        429,
    ]


def test_verify_page_by_token_shows_genuine_and_first_check(client, distributor_unit):
    response = client.get(reverse("authenticity:verify"), {"t": distributor_unit.public_token})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-result="genuine"' in html and "Genuine product" in html
    assert "First verified on" in html and "this is check number 1" in html
    assert activate_url(distributor_unit) in html  # not activated yet: offer it
    assert no_external_assets(html)
    assert response["Cache-Control"] == "no-store"


def result_block(html: str) -> str:
    return re.search(r'<div[^>]*id="verify-result".*?</div>', html, re.S).group(0)


def test_verify_form_wrong_code_looks_like_unknown_serial(client, distributor_unit):
    url = reverse("authenticity:verify")
    wrong = client.post(url, {"serial": distributor_unit.serial, "code": "ABCD-EFGH"})
    unknown = client.post(url, {"serial": "AC9999999999", "code": "ABCD-EFGH"})
    assert wrong.status_code == unknown.status_code == 200
    assert result_block(wrong.content.decode()) == result_block(unknown.content.decode())
    assert 'data-result="unknown"' in wrong.content.decode()
    right = client.post(
        url,
        {
            "serial": distributor_unit.serial,
            "code": codes.format_code(codes.verification_code(distributor_unit)),
            "province": "浙江省",
            "city": "杭州市",
        },
    )
    assert 'data-result="genuine"' in right.content.decode()
    assert Verification.objects.filter(outcome="genuine", province="浙江省").count() == 1


def test_verify_form_asks_for_the_code(client, distributor_unit):
    response = client.post(reverse("authenticity:verify"), {"serial": distributor_unit.serial})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Verification.objects.exists()


def test_verify_page_is_rate_limited_per_client(client, distributor_unit):
    url = reverse("authenticity:verify")
    params = {"t": distributor_unit.public_token}
    statuses = [client.get(url, params, REMOTE_ADDR="198.51.100.1").status_code for _ in range(11)]
    assert statuses == [200] * 10 + [429]
    limited = client.get(url, params, REMOTE_ADDR="198.51.100.1")
    assert "Too many checks" in limited.content.decode() and int(limited["Retry-After"]) >= 1
    assert client.get(url, params, REMOTE_ADDR="198.51.100.2").status_code == 200
    assert Verification.objects.count() == 11


def test_digital_link_landing(client, distributor_unit, settings):
    settings.DIGITAL_LINK_BASE_URL = "https://id.example.cn/p"
    parts = urlsplit(codes.signed_digital_link(distributor_unit))
    path = f"{parts.path}?{parts.query}"
    response = client.get(path)
    # the label's check itself, answered in place (one request, one check, one budget)
    assert response.status_code == 200
    assert 'data-result="genuine"' in response.content.decode()
    assert Verification.objects.get().method == "link"
    unsigned = client.get(path.split("?")[0])
    html = unsigned.content.decode()
    assert unsigned.status_code == 200
    assert f'value="{distributor_unit.serial}"' in html and "Enter the verification code" in html
