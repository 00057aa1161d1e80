"""Tests for ``unitrace.codes.gs1`` and its rule table ``gs1_rules``.

The rule table is generated from GS1's Syntax Dictionary by the functions below; to
regenerate it after the dictionary changes, run
``python -m unitrace.codes.tests.test_gs1 [path/to/gs1-syntax-dictionary.txt]`` and
then ``ruff format unitrace/codes/gs1_rules.py``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from django.utils import translation

from unitrace.codes import gs1_rules
from unitrace.codes.gs1 import digital_link_uri, normalize_gtin, parse_scan
from unitrace.codes.gs1_rules import AI_RULES, AIRule

GS = "\x1d"
DICTIONARY = (
    Path(__file__).resolve().parents[3]
    / ".."
    / "shared"
    / "testdata"
    / "gs1-syntax-dictionary"
    / "gs1-syntax-dictionary.txt"
)
RULES_FILE = Path(gs1_rules.__file__)
TABLE_START = "AI_RULES: dict[str, AIRule] = {"


# --- generator of gs1_rules.py (also used by the drift test) ------------------------

_DATE_CHECKS = ("yymmd0", "yymmdd", "yyyymmdd")


def _expand_ais(token: str) -> list[str]:
    """A dictionary line may cover a range such as ``3100-3105``; the table wants each AI."""
    first, _, last = token.partition("-")
    if not last:
        return [first]
    return [str(n).zfill(len(first)) for n in range(int(first), int(last) + 1)]


def _is_component(token: str) -> bool:
    return token.lstrip("[")[:1] in ("N", "X", "Y", "Z")


def parse_dictionary(text: str) -> dict[str, AIRule]:
    """Read GS1's Syntax Dictionary into the shape of ``gs1_rules.AI_RULES``."""
    rules: dict[str, AIRule] = {}
    for line in text.splitlines():
        body, _, title = line.partition("#")
        tokens = body.split()
        if not tokens:
            continue
        ai_token, rest = tokens[0], tokens[1:]
        flags = rest.pop(0) if rest and not _is_component(rest[0]) else ""
        spec = [t for t in rest if _is_component(t)]
        attrs = [t for t in rest if not _is_component(t)]
        checks = {name for component in spec for name in component.split(",")[1:]}
        dlpkeys = [a.partition("=")[2] for a in attrs if a.split("=")[0] == "dlpkey"]
        rule = AIRule(
            title=title.strip(),
            spec=" ".join(spec),
            flags=flags,
            csum="csum" in checks,
            date=next((name for name in _DATE_CHECKS if name in checks), None),
            req=tuple(a.removeprefix("req=") for a in attrs if a.startswith("req=")),
            ex=tuple(
                pattern
                for a in attrs
                if a.startswith("ex=")
                for pattern in a.removeprefix("ex=").split(",")
            ),
            dlpkey=dlpkeys[0] if dlpkeys else None,
        )
        for ai in _expand_ais(ai_token):
            rules[ai] = rule
    return rules


def render_table(rules: dict[str, AIRule]) -> str:
    """One ``R(...)`` line per AI, trailing defaults left out to keep the table compact."""
    names = AIRule._fields
    defaults = AIRule._field_defaults
    lines = []
    for ai, rule in rules.items():
        args = list(rule)
        while names[len(args) - 1] in defaults and args[-1] == defaults[names[len(args) - 1]]:
            args.pop()
        lines.append(f"    {ai!r}: R({', '.join(repr(a) for a in args)}),\n")
    return "".join(lines)


def regenerate(dictionary: Path, target: Path = RULES_FILE) -> None:
    """Rewrite the table below ``AI_RULES``; the hand-written header stays."""
    head = target.read_text(encoding="utf-8").split(TABLE_START)[0]
    table = render_table(parse_dictionary(dictionary.read_text(encoding="utf-8")))
    target.write_text(f"{head}{TABLE_START}\n{table}}}\n", encoding="utf-8")


# --- fixtures and helpers -----------------------------------------------------------


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are asserted in English, whatever LANGUAGE_CODE the project sets."""
    with translation.override("en"):
        yield


@pytest.fixture(scope="module")
def dictionary_rules() -> dict[str, AIRule]:
    if not DICTIONARY.is_file():
        pytest.skip(
            "shared/testdata/gs1-syntax-dictionary not present beside the repository "
            f"(looked for {DICTIONARY}); dictionary-driven GS1 tests skipped"
        )
    return parse_dictionary(DICTIONARY.read_text(encoding="utf-8"))


def _matches(pattern: str, ai: str) -> bool:
    return len(pattern) == len(ai) and all(p in ("n", c) for p, c in zip(pattern, ai, strict=True))


def _check_digit(body: str) -> str:
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return str(-total % 10)


_SAMPLES = {
    "yymmd0": "250115",
    "yymmdd": "250115",
    "yyyymmdd": "20250115",
    "hhmi": "1230",
    "hh": "12",
    "iso3166": "276",
    "iso3166999": "276",
    "iso4217": "978",
    "iso3166alpha2": "DE",
    "zero": "0",
    "winding": "0",
    "pieceoftotal": "0102",
    "mediatype": "01",
    "posinseqslash": "1/2",
    "packagetype": "BX",
    "iban": "DE44500105175407324931",
}


def _sample_value(rule: AIRule) -> str:
    """A value every check of ours accepts; optional components are left out."""
    value = ""
    for component in rule.spec.split():
        if component.startswith("["):
            break
        kind, size, checks = re.fullmatch(r"([NXYZ])(?:\.\.)?(\d+)((?:,\w+)*)", component).groups()
        sample = next((_SAMPLES[c] for c in checks.split(",") if c in _SAMPLES), None)
        if sample is None:
            length = int(size) if ".." not in component else min(int(size), 4)
            sample = ("1" if kind == "N" else "A") * length
        if "csum" in checks.split(","):
            sample = sample[:-1] + _check_digit(sample[:-1])
        value += sample
    return value


def _excludes(rules: dict[str, AIRule], a: str, b: str) -> bool:
    return a != b and (
        any(_matches(p, b) for p in rules[a].ex) or any(_matches(p, a) for p in rules[b].ex)
    )


def _with_companions(
    rules: dict[str, AIRule], chosen: tuple[str, ...], *, strict: bool = True, depth: int = 0
) -> tuple[str, ...] | None:
    """Add AIs until every ``req`` holds; ``strict`` adds no new exclusion on the way."""
    for ai in chosen:
        for requirement in rules[ai].req:
            groups = [group.split("+") for group in requirement.split(",")]
            if any(all(any(_matches(p, c) for c in chosen) for p in g) for g in groups):
                continue
            for group in groups:
                picks = [_pick(rules, pattern, chosen, strict) for pattern in group]
                if None in picks or depth > 8:
                    continue
                added = tuple(dict.fromkeys(p for p in picks if p and p not in chosen))
                found = _with_companions(rules, chosen + added, strict=strict, depth=depth + 1)
                if found:
                    return found
            return None
    return chosen


def _pick(
    rules: dict[str, AIRule], pattern: str, chosen: tuple[str, ...], strict: bool
) -> str | None:
    for ai in (ai for ai in rules if _matches(pattern, ai)):
        if ai in chosen or not strict or not any(_excludes(rules, ai, c) for c in chosen):
            return ai
    return None


def _hri(rules: dict[str, AIRule], ais: tuple[str, ...]) -> str:
    return "".join(f"({ai}){_sample_value(rules[ai])}" for ai in ais)


def _element_string(rules: dict[str, AIRule], ais: tuple[str, ...]) -> str:
    parts = [f"{ai}{_sample_value(rules[ai])}{'' if '*' in rules[ai].flags else GS}" for ai in ais]
    return "]d2" + "".join(parts).rstrip(GS)


# --- GTINs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("09506000134352", "09506000134352"),
        ("06901234567892", "06901234567892"),
        ("9506000134352", "09506000134352"),  # GTIN-13
        ("614141123452", "00614141123452"),  # GTIN-12
        ("96385074", "00000096385074"),  # GTIN-8
        (" 10614141073464 ", "10614141073464"),
    ],
)
def test_normalize_gtin_gives_gtin14(given: str, expected: str) -> None:
    assert normalize_gtin(given) == expected


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("09506000134353", "GTIN 09506000134353: check digit should be 2"),
        ("09506000134", "GTIN 09506000134: 11 digits, a GTIN has 8, 12, 13 or 14"),
        ("095060001343", "check digit should be 0"),
        ("0950600013435A", "only digits"),
        ("０９５０６０００１３４３５２", "only digits"),
    ],
)
def test_normalize_gtin_rejects_with_specific_message(given: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        normalize_gtin(given)


def test_bad_gtin_check_digit_in_scan_names_ai_and_expected_digit() -> None:
    result = parse_scan("(01)09506000134353(21)SN0001")

    assert result.errors == ("(01) 09506000134353: check digit should be 2",)
    assert result.gtin is None
    assert result.serial == "SN0001"
    assert not result.ok


def test_gtin_from_ean13_symbology_is_normalised() -> None:
    result = parse_scan("]E09506000134352")

    assert (result.kind, result.symbology, result.gtin) == ("gs1", "]E0", "09506000134352")
    assert result.ok


# --- element strings and HRI ---------------------------------------------------------


def test_bracketed_hri_gives_gtin_and_serial() -> None:
    result = parse_scan("(01)09506000134352(21)SN0001")

    assert result.kind == "gs1"
    assert result.gtin == "09506000134352"
    assert result.serial == "SN0001"
    assert result.ais == {"01": "09506000134352", "21": "SN0001"}
    assert result.symbology is None
    assert result.ok


@pytest.mark.parametrize(
    ("scanned", "symbology"),
    [
        (f"]d20109506000134352{GS}10ABC123{GS}21SN0001", "]d2"),
        ("]d2010950600013435210ABC123<GS>21SN0001", "]d2"),
        ("]C1010950600013435210ABC123{GS}21SN0001\r\n", "]C1"),
        (f"]Q3010950600013435217271231{GS}10ABC123{GS}21SN0001", "]Q3"),
        (f"]e0010950600013435210ABC123{GS}21SN0001{GS}", "]e0"),
        ("]d2010950600013435210ABC123^21SN0001", "]d2"),
        (f"{GS}010950600013435210ABC123{GS}21SN0001", None),  # FNC1 sent as leading GS
        (f"  010950600013435210ABC123{GS}21SN0001\n", None),
        ("010950600013435210ABC123\\x1d21SN0001", None),
    ],
)
def test_scanner_output_with_separators(scanned: str, symbology: str | None) -> None:
    result = parse_scan(scanned)

    assert result.kind == "gs1", result
    assert result.symbology == symbology
    assert (result.gtin, result.lot, result.serial) == ("09506000134352", "ABC123", "SN0001")
    assert result.raw == scanned
    assert result.ok, result.errors


def test_ais_keep_scan_order() -> None:
    result = parse_scan(f"]d2010950600013435217271231{GS}10L1{GS}21S1")

    assert list(result.ais) == ["01", "17", "10", "21"]


@pytest.mark.parametrize(
    ("scanned", "expiry"),
    [
        ("(01)09506000134352(17)271231", date(2027, 12, 31)),
        ("(01)09506000134352(17)270200", date(2027, 2, 28)),  # day 00: end of month
        ("(01)09506000134352(17)280200", date(2028, 2, 29)),
    ],
)
def test_expiry_date(scanned: str, expiry: date) -> None:
    result = parse_scan(scanned)

    assert result.expiry_date == expiry
    assert result.ok, result.errors


def test_production_date_day_00_is_allowed_by_yymmd0() -> None:
    result = parse_scan("(01)09506000134352(11)250300(21)X")

    assert result.production_date == date(2025, 3, 31)
    assert result.ok


@pytest.mark.parametrize(
    ("scanned", "message"),
    [
        ("(01)09506000134352(17)271332", "(17) 271332: month 13 does not exist"),
        ("(01)09506000134352(17)270132", "(17) 270132: day 32 does not exist in 2027-01"),
        ("(01)09506000134352(11)270229", "(11) 270229: day 29 does not exist in 2027-02"),
        ("(01)09506000134352(7006)250100", "(7006) 250100: day 00 does not exist in 2025-01"),
        ("(01)09506000134352(17)27123A", "(17) 27123A: character 'A' is not allowed, only digits"),
    ],
)
def test_impossible_dates_are_errors(scanned: str, message: str) -> None:
    result = parse_scan(scanned)

    assert message in result.errors
    assert result.expiry_date is None


def test_serial_alone_requires_a_key() -> None:
    result = parse_scan("(21)SN0001")

    assert result.kind == "gs1"
    assert result.errors == ("(21) requires (01), (03) or (8006)",)


def test_serial_together_with_tpx_is_excluded() -> None:
    result = parse_scan("(01)09506000134352(21)SN0001(235)TPX1")

    assert result.errors == ("(21) must not be used together with (235)",)


@pytest.mark.parametrize(
    ("scanned", "message"),
    [
        (
            "(01)09506000134352(21)ABCDEFGHIJKLMNOPQRSTU",
            "(21) ABCDEFGHIJKLMNOPQRSTU: 21 characters",
        ),
        (f"]d20109506000134352{GS}21{'9' * 21}", "at most 20 allowed"),
        ("(01)09506000134352(21)SN 01", "character ' ' is not allowed"),
        ("(01)09506000134352(21)SN#01", "character '#' is not allowed"),
        ("(01)09506000134352(21)序列1", "character '序' is not allowed"),
        ("(01)09506000134352(21)", "(21): no data"),
    ],
)
def test_bad_serials_are_errors(scanned: str, message: str) -> None:
    result = parse_scan(scanned)

    assert any(message in error for error in result.errors), result.errors


@pytest.mark.parametrize(
    ("scanned", "message"),
    [
        (f"]d20109506000134352{GS}23ABC", "Unknown application identifier at 23ABC"),
        ("(01)09506000134352(23)ABC", "(23): unknown application identifier"),
        ("]d2010950600013435", "(01) 0950600013435: truncated, the format is N14"),
        ("]d20109506000134352" + "1", "Truncated data at the end: 1"),
        ("]d2010950600013435217", "(17): no data"),
        ("(01)09506000134352(10)A(10)B", "(10) appears twice with different values: A and B"),
    ],
)
def test_unreadable_gs1_data_is_reported(scanned: str, message: str) -> None:
    result = parse_scan(scanned)

    assert result.kind == "gs1"
    assert message in result.errors, result.errors


def test_repeated_ai_with_same_value_is_fine() -> None:
    result = parse_scan("(01)09506000134352(10)A(10)A")

    assert result.ais == {"01": "09506000134352", "10": "A"}
    assert result.ok


# --- bare strings: GS1 or plain serial? ------------------------------------------------


@pytest.mark.parametrize(
    "scanned",
    [
        "SN0001",
        "A-12345",
        "12345",
        "01234567890123",  # 14 digits starting "01", not a GTIN
        "09506000134352",  # a lone GTIN is not evidence enough
        "0109506000134352",  # a single AI neither
        "010950600013435321SN0001",  # (01) with a wrong check digit
        "A^B",
        "序列号-7",
    ],
)
def test_plain_serials(scanned: str) -> None:
    result = parse_scan(f" {scanned}\r\n")

    assert result.kind == "plain"
    assert result.serial == scanned
    assert result.gtin is None
    assert result.ok


def test_bare_string_that_splits_into_ais_with_valid_gtin_is_gs1() -> None:
    result = parse_scan("010950600013435221SN0001")

    assert (result.kind, result.gtin, result.serial) == ("gs1", "09506000134352", "SN0001")


def test_bare_gs1_string_still_reports_semantic_errors() -> None:
    result = parse_scan("010950600013435217271332")

    assert result.kind == "gs1"
    assert "(17) 271332: month 13 does not exist" in result.errors


@pytest.mark.parametrize("scanned", [" \r\n", "", f"]d2{GS}"])
def test_empty_scan_is_an_error(scanned: str) -> None:
    result = parse_scan(scanned)

    assert result.kind == "plain"
    assert result.errors == ("Nothing was scanned.",)


# --- Digital Link and URLs -----------------------------------------------------------


def test_digital_link_on_any_domain_with_encoded_serial_and_query() -> None:
    uri = "https://example.cn/01/09506000134352/10/L1/21/SN%2F01?17=271231"

    result = parse_scan(uri)

    assert result.kind == "digital_link"
    assert result.url == uri
    assert (result.gtin, result.lot, result.serial) == ("09506000134352", "L1", "SN/01")
    assert result.expiry_date == date(2027, 12, 31)
    assert result.ais == {"01": "09506000134352", "10": "L1", "21": "SN/01", "17": "271231"}
    assert result.ok, result.errors


def test_epc_example_digital_link() -> None:
    result = parse_scan("https://id.gs1.org/01/10614141073464/21/2018")

    assert (result.gtin, result.serial) == ("10614141073464", "2018")
    assert result.ok


def test_digital_link_with_path_prefix_and_other_query_parameters() -> None:
    result = parse_scan(
        "]Q1https://brand.example/dl/01/9506000134352/21/X1?utm_source=box&11=250101"
    )

    assert result.kind == "digital_link"
    assert result.symbology == "]Q1"
    assert result.gtin == "09506000134352"  # GTIN-13 in the path, padded
    assert result.production_date == date(2025, 1, 1)
    assert "utm_source" not in result.ais
    assert result.ok, result.errors


def test_digital_link_qualifiers_out_of_order() -> None:
    result = parse_scan("https://id.gs1.org/01/09506000134352/21/SN1/10/L1")

    assert len(result.errors) == 1
    assert "out of order: (21) → (10)" in result.errors[0]
    assert "(22) → (10) → (21)" in result.errors[0]


@pytest.mark.parametrize(
    ("uri", "message"),
    [
        ("https://x.example/01/09506000134352/17/271231", "(17) cannot follow (01)"),
        (
            "https://x.example/01/09506000134352?21=SN1",
            "(21) is not allowed in a Digital Link query",
        ),
        ("https://x.example/01/09506000134353/21/SN1", "check digit should be 2"),
        ("https://x.example/01/09506000134352/21", "(21): no data"),
        ("https://x.example/01/09506000134352/21/A?21=B", "appears twice with different values"),
        ("https://x.example/01/09506000134352/21/1/235/2", "out of order: (21) → (235)"),
    ],
)
def test_digital_link_errors(uri: str, message: str) -> None:
    result = parse_scan(uri)

    assert result.kind == "digital_link"
    assert any(message in error for error in result.errors), result.errors


@pytest.mark.parametrize(
    "url",
    [
        "https://trace.example.com/u/q7Xr2kPz",
        "https://example.com/blog/2021/01/15/post",
        "http://example.com/",
    ],
)
def test_other_urls(url: str) -> None:
    result = parse_scan(url)

    assert (result.kind, result.url, result.errors) == ("url", url, ())
    assert result.serial is None


# --- MA code -------------------------------------------------------------------------


def test_ma_code() -> None:
    code = "MA.156.M0.100761.21234561.Sx00008.M220117.L20220117.E220130.C3"

    result = parse_scan(code)

    assert result.kind == "ma_code"
    assert result.ais["MA_DI"] == "MA.156.M0.100761.21234561"
    assert (result.serial, result.lot) == ("x00008", "20220117")
    assert result.production_date == date(2022, 1, 17)
    assert result.expiry_date == date(2022, 1, 30)
    assert result.gtin is None
    assert result.ok


def test_ma_code_with_impossible_date() -> None:
    result = parse_scan("MA.156.M0.100761.21234561.Sx1.E221340")

    assert result.errors == ("MA code .E221340: month 13 does not exist",)


# --- building Digital Link URIs --------------------------------------------------------


@pytest.mark.parametrize("serial", ["SN0001", "SN/01", "100%", "A+B", "a&b=c?", "(x)'*", "2018"])
@pytest.mark.parametrize("lot", [None, "L/1%"])
def test_digital_link_uri_round_trip(serial: str, lot: str | None) -> None:
    uri = digital_link_uri("https://trace.example.com/", "9506000134352", serial, lot)

    result = parse_scan(uri)

    assert uri.startswith("https://trace.example.com/01/09506000134352/")
    assert (result.gtin, result.serial, result.lot) == ("09506000134352", serial, lot)
    assert result.ok, result.errors


def test_digital_link_uri_keeps_base_path_and_adds_scheme() -> None:
    assert digital_link_uri("example.cn/dl", "06901234567892", "S/1") == (
        "https://example.cn/dl/01/06901234567892/21/S%2F1"
    )


@pytest.mark.parametrize(
    ("gtin", "serial", "message"),
    [
        ("09506000134352", "SN 01", "character ' ' is not allowed"),
        ("09506000134352", "X" * 21, "at most 20 allowed"),
        ("09506000134352", "", "(21): no data"),
        ("09506000134353", "SN1", "check digit should be 2"),
    ],
)
def test_digital_link_uri_refuses_what_parse_scan_would_reject(
    gtin: str, serial: str, message: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        digital_link_uri("https://x.example", gtin, serial)


# --- the rule table against the dictionary ---------------------------------------------


def test_ai_codes_are_prefix_free() -> None:
    """The element-string splitter relies on no AI being the start of another."""
    clashes = [(a, b) for a in AI_RULES for b in AI_RULES if a != b and b.startswith(a)]

    assert clashes == []


def test_rules_table_matches_dictionary(dictionary_rules: dict[str, AIRule]) -> None:
    changed = sorted(ai for ai in dictionary_rules if AI_RULES.get(ai) != dictionary_rules[ai])
    extra = sorted(set(AI_RULES) - set(dictionary_rules))

    assert (changed, extra) == ([], []), "regenerate gs1_rules.py (see module docstring)"
    assert list(AI_RULES) == list(dictionary_rules)
    assert AI_RULES["21"].req == ("01,03,8006",)
    assert AI_RULES["21"].ex == ("235",)


def test_every_ai_with_companions_parses_cleanly(dictionary_rules: dict[str, AIRule]) -> None:
    failures = []
    for ai, rule in dictionary_rules.items():
        message = _with_companions(dictionary_rules, (ai,))
        assert message, f"no companions satisfy the req of ({ai})"
        for scanned in (
            _hri(dictionary_rules, message),
            _element_string(dictionary_rules, message),
        ):
            result = parse_scan(scanned)
            if result.errors or result.ais.get(ai) != _sample_value(rule):
                failures.append((scanned, result.errors, result.ais))

    assert failures == []


def test_fixed_length_numeric_ais_split_without_separators(
    dictionary_rules: dict[str, AIRule],
) -> None:
    fixed = [
        ai
        for ai, rule in dictionary_rules.items()
        if all(re.fullmatch(r"N\d+(,\w+)*", part) for part in rule.spec.split())
    ]
    failures = []
    for ai in fixed:
        message = _with_companions(dictionary_rules, (ai,))
        ordered = (ai, *[m for m in message if m != ai])  # fixed AI first, no GS after it
        scanned = "]C1" + _element_string(dictionary_rules, ordered).removeprefix("]d2")
        result = parse_scan(scanned)
        if result.errors or result.ais.get(ai) != _sample_value(dictionary_rules[ai]):
            failures.append((scanned, result.errors))

    assert len(fixed) > 300
    assert failures == []


def test_every_csum_ai_reports_a_wrong_check_digit(dictionary_rules: dict[str, AIRule]) -> None:
    csum_ais = [ai for ai, rule in dictionary_rules.items() if rule.csum]
    failures = []
    for ai in csum_ais:
        message = _with_companions(dictionary_rules, (ai,))
        good = _sample_value(dictionary_rules[ai])
        position = re.search(r"\d+,csum", dictionary_rules[ai].spec)
        index = sum(
            int(re.match(r"\[?[NXYZ](\d+)", c).group(1))
            for c in dictionary_rules[ai].spec[: position.end()].split()
        )
        bad = good[: index - 1] + str((int(good[index - 1]) + 1) % 10) + good[index:]
        scanned = _hri(dictionary_rules, message).replace(f"({ai}){good}", f"({ai}){bad}")
        errors = parse_scan(scanned).errors
        expected = f"({ai}) {bad}: check digit should be {good[index - 1]}"
        if errors != (expected,):
            failures.append((scanned, errors, expected))

    assert len(csum_ais) >= 20
    assert failures == []


def test_every_exclusion_pair_is_reported(dictionary_rules: dict[str, AIRule]) -> None:
    """Each pair alone, with the AIs their ``req`` asks for; where those companions are
    themselves excluded (e.g. (02) needs (37), which (01) excludes), all errors must
    still be exclusions and include the pair's."""
    pairs = {
        tuple(sorted((a, b)))
        for a in dictionary_rules
        for b in dictionary_rules
        if a != b and any(_matches(p, b) for p in dictionary_rules[a].ex)
    }
    failures = []
    crowded = []
    for a, b in sorted(pairs):
        message = _with_companions(dictionary_rules, (a, b))
        strict = message is not None
        if not strict:
            crowded.append((a, b))
            message = _with_companions(dictionary_rules, (a, b), strict=False)
        errors = parse_scan(_hri(dictionary_rules, message)).errors if message else ()
        expected = {
            f"({a}) must not be used together with ({b})",
            f"({b}) must not be used together with ({a})",
        }
        only_exclusions = all("must not be used together" in e for e in errors)
        if not expected & set(errors) or not (len(errors) == 1 if strict else only_exclusions):
            failures.append((a, b, message, errors))

    assert len(pairs) > 500
    assert len(crowded) < 20, crowded
    assert failures == []


if __name__ == "__main__":
    regenerate(Path(sys.argv[1]) if len(sys.argv) > 1 else DICTIONARY)
