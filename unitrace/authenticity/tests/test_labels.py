"""Label sheets: QR content per SKU kind, PDF and SVG output."""

import pytest
from django.test import override_settings

from tests import factories as f
from unitrace.authenticity.codes import format_code, verification_code
from unitrace.authenticity.labels import label_url, labels_pdf, labels_svg
from unitrace.codes.gs1 import parse_scan
from unitrace.serials.models import Unit
from unitrace.serials.registration import NewUnit, register_units

pytestmark = pytest.mark.django_db


@override_settings(DIGITAL_LINK_BASE_URL="https://id.example.cn", PUBLIC_BASE_URL="https://s.cn")
def test_qr_is_digital_link_with_gtin_else_public_page(sku):
    plain = f.SKUFactory(code="NO-GTIN", name="x")
    register_units(sku, [NewUnit("SN/01")])
    register_units(plain, [NewUnit("P1")])
    with_gtin = Unit.objects.get(serial="SN/01")
    url = label_url(with_gtin)
    assert url.startswith("https://id.example.cn/01/06901234567892/21/SN%2F01?s=")
    parsed = parse_scan(url)
    assert (parsed.gtin, parsed.serial) == ("06901234567892", "SN/01")
    other = Unit.objects.get(serial="P1")
    assert label_url(other) == f"https://s.cn/u/{other.public_token}"
    assert "P1" not in label_url(other).replace(other.public_token, "")


def test_pdf_and_svg_sheets(sku):
    register_units(sku, [NewUnit(f"L{i:03d}") for i in range(30)])
    units = list(Unit.objects.select_related("sku").order_by("serial"))
    pdf = labels_pdf(units)
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") >= 1
    svg = labels_svg(units[:4])
    assert svg.startswith("<svg") and svg.count("<path") == 4 and "L003" in svg
    code = format_code(verification_code(units[3]))
    assert code in svg  # the printed code a customer types to verify
