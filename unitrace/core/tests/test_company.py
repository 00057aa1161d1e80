"""Company settings: the page (admins only), the logo's checks and its public URL, the
change log, the brand on the public pages, and the PUBLIC_BASE_URL warnings."""

from __future__ import annotations

import io

import pytest
from django.core import checks
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from PIL import Image

from tests import factories as f
from unitrace.core.company import CompanyRefused, brand, check_logo, save_company
from unitrace.core.deploy_checks import check_public_base_url
from unitrace.core.models import ChangeLog, CompanySettings

pytestmark = pytest.mark.django_db


def image(fmt: str = "PNG", size: tuple[int, int] = (90, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt)
    return out.getvalue()


def test_only_who_may_change_the_settings_sees_the_page(login):
    assert login("warehouse", "clerk").get("/company/").status_code == 403
    assert login("admin", "boss").get("/company/").status_code == 200


def test_saving_keeps_the_values_and_the_logo_and_logs_the_change(login):
    client = login("admin", "boss")
    response = client.post(
        "/company/",
        {
            "name": "宁波海川电器有限公司",
            "address": "浙江省宁波市",
            "hotline": "400-820-1234",
            "website": "www.haichuan.example.cn",
            "logo": SimpleUploadedFile("logo.png", image(), "image/png"),
        },
    )
    assert response.status_code == 302
    row = CompanySettings.objects.get()
    assert row.name == "宁波海川电器有限公司" and row.website == "https://www.haichuan.example.cn"
    assert row.logo_type == "image/png" and bytes(row.logo) == image()
    assert brand().name == "宁波海川电器有限公司" and brand().has_logo
    logo = client.get("/company/logo/")
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png"
    entry = ChangeLog.objects.filter(object_type="core.companysettings").get()
    assert entry.after["name"] == "宁波海川电器有限公司" and entry.after["logo"]
    client.post("/company/", {"name": "海川", "remove_logo": "on"})
    assert brand().name == "海川" and not brand().has_logo
    assert client.get("/company/logo/").status_code == 404


def test_a_bad_logo_is_refused_with_the_reason(login):
    client = login("admin", "boss")
    fake = SimpleUploadedFile("logo.png", b"<svg></svg>", "image/png")
    response = client.post("/company/", {"name": "海川", "logo": fake})
    assert response.status_code == 400
    assert "not a PNG or JPEG" in response.content.decode()
    assert not CompanySettings.objects.exists()
    with pytest.raises(CompanyRefused, match="pixels"):
        check_logo(image(size=(2400, 10)))
    with pytest.raises(CompanyRefused, match="KB"):
        check_logo(b"\x89PNG" + b"0" * 600_000)
    assert check_logo(image("JPEG")) == "image/jpeg"
    with pytest.raises(CompanyRefused):
        check_logo(image("GIF"))


def test_public_pages_carry_the_manufacturers_brand(client, sku):
    from unitrace.serials.models import Unit
    from unitrace.serials.registration import NewUnit, register_units

    register_units(sku, [NewUnit("PB0001")])
    unit = Unit.objects.get()
    before = client.get(f"/u/{unit.public_token}/").content.decode()
    assert 'id="public-brand"' in before and "unitrace</span>" not in before
    save_company(values={"name": "宁波海川电器有限公司", "hotline": "400-820-1234"}, logo=image())
    html = client.get(f"/u/{unit.public_token}/").content.decode()
    assert "宁波海川电器有限公司" in html and "400-820-1234" in html
    assert "/company/logo/" in html and 'id="public-footer"' in html
    assert "unitrace" not in html.split("<body", 1)[1].split("<main", 1)[0]
    verify = client.get("/p/verify/").content.decode()
    assert "宁波海川电器有限公司" in verify


@pytest.mark.parametrize(
    ("url", "warned"),
    [
        ("http://127.0.0.1:8000", True),
        ("http://localhost:8000", True),
        ("http://10.1.2.3", True),
        ("http://trace.example.cn", True),
        ("", True),
        ("https://trace.example.cn", False),
    ],
)
def test_the_deploy_check_warns_about_an_unset_or_local_public_url(settings, url, warned):
    settings.PUBLIC_BASE_URL = url
    found = check_public_base_url(None)
    assert bool(found) is warned
    if warned:
        assert found[0].id == "unitrace.W001"


def test_the_check_is_registered_for_deploy_only(settings):
    settings.PUBLIC_BASE_URL = "http://127.0.0.1:8000"
    ids = {m.id for m in checks.run_checks(include_deployment_checks=True)}
    assert "unitrace.W001" in ids
    assert "unitrace.W001" not in {m.id for m in checks.run_checks()}
    call_command("check")  # no deploy checks: nothing raised


def test_admins_see_a_banner_while_the_public_url_is_local(client, settings):
    settings.PUBLIC_BASE_URL = "http://127.0.0.1:8000"
    admin = f.UserFactory(role="admin", username="boss")
    clerk = f.UserFactory(role="warehouse", username="clerk")
    client.force_login(admin)
    assert 'id="public-url-warning"' in client.get("/jobs/").content.decode()
    with override_settings(PUBLIC_BASE_URL="https://trace.example.cn"):
        assert 'id="public-url-warning"' not in client.get("/jobs/").content.decode()
    client.force_login(clerk)
    assert 'id="public-url-warning"' not in client.get("/jobs/").content.decode()
