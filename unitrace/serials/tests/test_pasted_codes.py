"""Scanned or pasted GS1 codes in a list of serials: the (21) serial, checked by GTIN."""

from __future__ import annotations

import pickle
import random

import pytest
from django.urls import reverse

from tests import factories as f
from unitrace.codes.gs1 import may_be_code, parse_scan
from unitrace.codes.pasted import ScannedCode, expand_pasted, split_pasted
from unitrace.serials.importing import ImportRefused, import_serial_list
from unitrace.serials.models import Unit

pytestmark = pytest.mark.django_db
GS = "\x1d"
GTIN = "06901234567892"  # the AC-100 fixture's GTIN
OTHER_GTIN = "09506000134352"


# --- splitting and expanding -----------------------------------------------------------


def test_group_separator_never_splits_an_element_string() -> None:
    tokens = expand_pasted(f"]C1010690123456789210LOT7{GS}21Q2\nSN0001")
    assert tokens == [f"]C1010690123456789210LOT7{GS}21Q2", "SN0001"]
    code = tokens[0]
    assert isinstance(code, ScannedCode) and not isinstance(tokens[1], ScannedCode)
    assert (code.serial, code.gtin, code.scan.lot, code.line) == ("Q2", GTIN, "LOT7", 1)
    assert code.shown == "]C1010690123456789210LOT7<GS>21Q2"


@pytest.mark.parametrize(
    ("text", "serial"),
    [
        (f"]C101{GTIN}{GS}21Q2", "Q2"),  # the audit's example: not serial "21Q2"
        (f"(01){GTIN}(21)SN-0001", "SN-0001"),  # '-' inside: not read as a range
        (f"(01) {GTIN} (21) SN0002", "SN0002"),  # bracketed text with spaces: one code
        (f"(01){GTIN}(21)A,B", "A,B"),  # a comma is a GS1 serial character
        (f"https://id.example.cn/01/{GTIN}/21/SN%2F01?17=271231", "SN/01"),
        (f"01{GTIN}21Q2", "Q2"),  # bare element string, scanner without prefix
        (f"]d201{GTIN}21AC9<GS>10L1", "AC9"),  # written stand-in for GS
        ("]Q1SN0005", "SN0005"),  # a plain QR code's serial behind the symbology prefix
    ],
)
def test_codes_come_back_whole_with_their_serial(text: str, serial: str) -> None:
    [code] = expand_pasted(text)
    assert isinstance(code, ScannedCode) and str(code) == text.strip()
    assert code.serial == serial


def test_several_codes_on_a_line_and_mixed_lines() -> None:
    text = f"(01){GTIN}(21)A (01){GTIN}(21)B\nA0001-A0002, (01){GTIN}(21)C\n(01){GTIN}(21)D， SN5"
    got = expand_pasted(text)
    assert [getattr(t, "serial", t) for t in got] == ["A", "B", "A0001", "A0002", "C", "D", "SN5"]
    assert [t.line for t in got if isinstance(t, ScannedCode)] == [1, 1, 2, 3]


def test_a_broken_code_stays_whole_so_no_piece_is_registered() -> None:
    [code] = split_pasted("(01) 06901234567893 (21) SN")  # wrong GTIN check digit
    assert isinstance(code, ScannedCode) and "check digit" in code.scan.errors[0]


def test_plain_lists_and_ranges_are_unchanged() -> None:
    assert expand_pasted("A0001-A0003，B7\nC-0001 ~ C-0002\x1cD1") == [
        "A0001", "A0002", "A0003", "B7", "C-0001", "C-0002", "D1",
    ]  # fmt: skip
    assert not any(isinstance(t, ScannedCode) for t in expand_pasted("SN1 SN2\tSN3"))


def test_scanned_code_survives_pickling() -> None:
    [code] = expand_pasted(f"(01){GTIN}(21)P1")
    again = pickle.loads(pickle.dumps(code))
    assert again == code and again.serial == "P1" and again.line == 1


def test_may_be_code_never_misses_a_code() -> None:
    """When the quick test says "plain", the parser must agree and keep the text."""
    rng = random.Random(3)
    alphabet = "0123456789ABCSN-./()]^<>GSdQ1:h" + GS
    samples = [f"01{GTIN}21Q2", f"11260101{'01' + GTIN}", "SN0001", "2611-0005"]
    samples += ["".join(rng.choices(alphabet, k=rng.randint(1, 24))) for _ in range(3000)]
    samples += ["".join(rng.choices("0123456789", k=rng.randint(14, 24))) for _ in range(3000)]
    for text in samples:
        if not may_be_code(text):
            parsed = parse_scan(text)
            assert (parsed.kind, parsed.serial, parsed.symbology) == ("plain", text, None), text


# --- registering -------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def test_gs1_lines_register_their_serial_21(sku) -> None:
    text = (
        f"]C101{GTIN}{GS}21Q2\n"
        f"(01){GTIN}(21)SN-0001\n"
        f"https://id.example.cn/01/{GTIN}/21/SN%2E01\n"
        "PL0001-PL0002"
    )
    result = import_serial_list(expand_pasted(text), default_sku=sku)
    assert result.created == 5
    serials = set(Unit.objects.values_list("serial", flat=True))
    assert serials == {"Q2", "SN-0001", "SN.01", "PL0001", "PL0002"}
    assert not Unit.objects.filter(serial="21Q2").exists()


def test_gtin_of_another_product_is_refused_naming_the_line(sku) -> None:
    f.SKUFactory(code="EU-1", name="eu", gtin=OTHER_GTIN)
    text = f"PL0001\n(01){OTHER_GTIN}(21)X1\n]C101{GTIN}{GS}21X2"
    with pytest.raises(ImportRefused) as info:
        import_serial_list(expand_pasted(text), default_sku=sku)
    [error] = info.value.result.errors
    assert error.row == 2 and error.value == f"(01){OTHER_GTIN}(21)X1"
    assert error.message == (
        f"line 2: (01){OTHER_GTIN}(21)X1 is for GTIN {OTHER_GTIN}, not SKU AC-100 ({GTIN}); "
        f"GTIN {OTHER_GTIN} is SKU EU-1"
    )
    assert not Unit.objects.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (f"(01){GTIN}", "line 1: (01)06901234567892 has no serial number (21)"),
        ("(01)09506000134353(21)X", "is not a valid code: (01) 09506000134353: check digit"),
        ("(8006)069012345678920102(21)X", "has no GTIN (01) to check against SKU AC-100"),
        ("MA.156.M0.100761.21234561.Sx00008.C3", "is an MA code (IDcode)"),
    ],
)
def test_codes_that_cannot_be_checked_are_refused(sku, text: str, message: str) -> None:
    with pytest.raises(ImportRefused) as info:
        import_serial_list(expand_pasted(text), default_sku=sku)
    assert message in info.value.result.errors[0].message


def test_sku_without_gtin_refuses_gs1_codes(db) -> None:
    bare = f.SKUFactory(code="NOGTIN", name="n")
    with pytest.raises(ImportRefused) as info:
        import_serial_list(expand_pasted(f"(01){GTIN}(21)Z1"), default_sku=bare)
    assert "but SKU NOGTIN has no GTIN" in info.value.result.errors[0].message


def test_scanned_serial_duplicates_a_typed_one(sku) -> None:
    with pytest.raises(ImportRefused) as info:
        import_serial_list(expand_pasted(f"Q7\n(01){GTIN}(21)Q7"), default_sku=sku)
    assert info.value.result.errors[0].message == "duplicate of row 1 in this file"


def test_register_endpoint_reads_gs1_codes(sku, api) -> None:
    client = api("warehouse")
    body = {"sku": "AC-100", "serials": f"]C101{GTIN}{GS}21Q2\n(01){GTIN}(21)Q3"}
    response = client.post("/api/v1/units/register/", body, format="json")
    assert response.status_code == 201, response.json()
    assert set(Unit.objects.values_list("serial", flat=True)) == {"Q2", "Q3"}
    f.SKUFactory(code="EU-1", name="eu", gtin=OTHER_GTIN)
    body = {"sku": "AC-100", "serials": f"Q4\n(01){OTHER_GTIN}(21)Q5"}
    response = client.post("/api/v1/units/register/", body, format="json")
    assert response.status_code == 400
    assert response.json()["rows"][0]["message"].startswith("line 2: ")


def test_paste_form_reads_gs1_codes(client, make_user, sku) -> None:
    client.force_login(make_user("warehouse"))
    response = client.post(
        reverse("serials:import"),
        {
            "action": "list",
            "list-serials": f"]C101{GTIN}{GS}21Q2",
            "list-sku": "AC-100",
            "list-mode": "all",
        },
    )
    assert "1 units of AC-100 registered." in response.content.decode()
    assert Unit.objects.get().serial == "Q2"
