import random
import re
from datetime import date

import pytest
from stdnum import damm
from stdnum.iso7064 import mod_37_36

from unitrace.codes.check_chars import check_char
from unitrace.codes.pasted import expand_pasted, split_pasted
from unitrace.codes.patterns import PatternError, SerialPattern
from unitrace.codes.ranges import RangeError, expand_range
from unitrace.codes.rendering import RANDOM_ALPHABET
from unitrace.codes.serial_text import GS1_AI21_CHARS, SerialFormatError, check_serial_text

NOV3 = date(2026, 11, 3)


def fmt_error(pattern: str, serial: str) -> SerialFormatError:
    with pytest.raises(SerialFormatError) as info:
        SerialPattern.parse(pattern).matches(serial)
    return info.value


# --- tokens ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "when", "expected"),
    [
        ("{YYYY}{SEQ:2}", date(2026, 11, 3), "202607"),
        ("{YY}{SEQ:2}", date(2009, 1, 1), "0907"),
        ("{MM}{SEQ:2}", date(2026, 3, 9), "0307"),
        ("{DD}{SEQ:2}", date(2026, 3, 9), "0907"),
        ("{WW}{SEQ:2}", date(2026, 3, 9), "1107"),
        ("{WW}{SEQ:2}", date(2027, 1, 1), "5307"),  # ISO week of the previous year
        ("{JJJ}{SEQ:2}", date(2026, 2, 1), "03207"),
        ("{JJJ}{SEQ:2}", date(2024, 12, 31), "36607"),
        ("AB-c.d_{SEQ:2}", NOV3, "AB-c.d_07"),
        ("{SEQ:6}", NOV3, "000007"),
        ("{yy}{seq:3}", date(2026, 1, 1), "26007"),  # token names are case-insensitive
    ],
)
def test_tokens_render(pattern: str, when: date, expected: str) -> None:
    p = SerialPattern.parse(pattern)
    assert p.render(7, when) == expected
    p.matches(expected)


def test_batch_token_and_scope_key() -> None:
    p = SerialPattern.parse("{BATCH}-{SEQ:4}")
    assert p.render(12, NOV3, "L2611") == "L2611-0012"
    assert p.scope_key(NOV3, "L2611") == "L2611-"
    with pytest.raises(PatternError, match="no batch code"):
        p.render(1, NOV3)
    with pytest.raises(PatternError, match="'/'"):
        p.render(1, NOV3, "L26/11")
    with pytest.raises(PatternError, match="21 characters"):
        p.render(1, NOV3, "L" * 16)
    p.matches("LOT.7-0001")
    assert fmt_error("{BATCH}-{SEQ:4}", "-0001").code == "too_short"


def test_scope_key_example_from_the_spec() -> None:
    p = SerialPattern.parse("A{YY}{MM}{SEQ:5}{CHECK}")
    assert p.scope_key(NOV3, None) == "A2611"
    assert (p.mode, p.seq_width, p.max_sequence) == ("sequence", 5, 99_999)
    assert p.render(7, NOV3).startswith("A261100007")


def test_render_range_checks() -> None:
    p = SerialPattern.parse("{SEQ:3}")
    assert p.render_many(998, 2, NOV3) == ["998", "999"]
    with pytest.raises(PatternError, match="999"):
        p.render_many(999, 2, NOV3)
    with pytest.raises(PatternError):
        p.render(-1, NOV3)
    with pytest.raises(PatternError, match="sequence number"):
        p.render(None, NOV3)
    assert p.render_many(5, 0, NOV3) == []


# --- check characters ------------------------------------------------------------------------


def test_damm_examples_from_stdnum() -> None:
    assert check_char("damm", "572") == "4"
    p = SerialPattern.parse("{SEQ:3}{CHECK}")
    assert p.check_algorithm == "damm"
    p.matches("5724")
    err = fmt_error("{SEQ:3}{CHECK}", "5723")
    assert err.code == "check_char"
    assert "check character should be '4'" in str(err)
    assert not damm.is_valid("5723")


def test_mod37_36_example_from_stdnum() -> None:
    assert check_char("mod37_36", "A12425GABC1234002") == "M"


def test_check_chars_agree_with_stdnum() -> None:
    rng = random.Random(7)
    for _ in range(2000):
        digits = "".join(rng.choices("0123456789", k=rng.randint(1, 19)))
        assert check_char("damm", digits) == damm.calc_check_digit(digits)
        body = "".join(rng.choices("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", k=rng.randint(1, 19)))
        assert check_char("mod37_36", body) == mod_37_36.calc_check_digit(body)
    # Separators are skipped and lowercase counts as uppercase.
    assert check_char("mod37_36", "ab-1.2_3") == mod_37_36.calc_check_digit("AB123")


@pytest.mark.parametrize(
    ("pattern", "algorithm"),
    [
        ("{YY}{MM}{SEQ:6}{CHECK}", "damm"),
        ("26{JJJ}{SEQ:4}{CHECK}", "damm"),
        ("A{SEQ:6}{CHECK}", "mod37_36"),
        ("26-{SEQ:6}{CHECK}", "mod37_36"),
        ("{BATCH}{SEQ:6}{CHECK}", "mod37_36"),
        ("{RAND:10}{CHECK}", "mod37_36"),
        ("{SEQ:6}", None),
    ],
)
def test_check_algorithm_choice(pattern: str, algorithm: str | None) -> None:
    assert SerialPattern.parse(pattern).check_algorithm == algorithm


@pytest.mark.parametrize("width", [1, 2, 3, 4, 7, 12])
@pytest.mark.parametrize("pattern", ["{YY}{SEQ:%d}{MM}{CHECK}", "x-{SEQ:%d}.B{CHECK}"])
def test_render_many_agrees_with_render_and_stdnum(pattern: str, width: int) -> None:
    p = SerialPattern.parse(pattern % width)
    top = p.max_sequence
    for start in {0, max(0, top - 1500), max(0, min(top, 997) - 3)}:
        count = min(1500, top - start + 1)
        many = p.render_many(start, count, NOV3)
        assert len(set(many)) == count
        for n in range(start, start + count, max(1, count // 50)):
            assert many[n - start] == p.render(n, NOV3)
        for serial in many:
            if p.check_algorithm == "damm":
                assert damm.is_valid(serial)
            else:
                body = re.sub(r"[-._]", "", serial).upper()
                assert mod_37_36.is_valid(body), serial


def test_render_many_100k_agrees_with_render() -> None:
    """The batch renderer (its speed is measured in bench/register.py) gives what the
    one-at-a-time renderer gives."""
    for pattern in ("A{YY}{MM}{SEQ:6}{CHECK}", "{YY}{MM}{SEQ:6}{CHECK}"):
        p = SerialPattern.parse(pattern)
        serials = p.render_many(1, 100_000, NOV3)
        assert len(set(serials)) == 100_000
        for seq in (1, 777, 54_321, 100_000):
            assert serials[seq - 1] == p.render(seq, NOV3)
        p.matches(serials[-1])  # raises unless the serial fits its rule


# --- random mode -----------------------------------------------------------------------------


def test_random_mode_unique_unambiguous_and_checked() -> None:
    p = SerialPattern.parse("R{RAND:4}-{RAND:4}{CHECK}")
    assert p.mode == "random" and p.seq_width is None and p.max_sequence == 0
    serials = p.render_many(0, 20_000, NOV3)
    assert len(set(serials)) == 20_000
    rx = re.compile(p.regex())
    for s in serials:
        assert re.fullmatch(f"R[{RANDOM_ALPHABET}]{{4}}-[{RANDOM_ALPHABET}]{{4}}[0-9A-Z]", s)
        assert not set(s[1:5] + s[6:10]) & set("0O1I")
        assert rx.fullmatch(s)
    for s in serials[:500]:
        p.matches(s)
    # All 32 symbols are used (one byte & 31 per symbol, so none is favoured).
    assert set("".join(s[1:5] for s in serials)) == set(RANDOM_ALPHABET)


def test_random_render_ignores_sequence() -> None:
    p = SerialPattern.parse("{RAND:8}")
    assert re.fullmatch(f"[{RANDOM_ALPHABET}]{{8}}", p.render(None, NOV3))
    assert p.render(1, NOV3) != p.render(1, NOV3)


# --- pattern errors --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("", "empty"),
        ("A{SEQ:4}{SEQ:4}", "{SEQ:4} at position 9: a pattern can have only one"),
        ("{CHECK}{SEQ:4}", "{CHECK} at position 1: the check character must come last"),
        ("{SEQ:4}{CHECK}{CHECK}", "{CHECK} at position 8"),
        ("X{FOO}{SEQ:4}", "Unknown token {FOO} at position 2"),
        ("{RAND:7}", "{RAND:7} at position 1: random serials need at least 8"),
        ("{RAND:4}-{RAND:3}", "combinations to resist guessing"),
        ("{SEQ:0}", "{SEQ:0} at position 1: write the width as {SEQ:n} with n from 1 to 12"),
        ("{SEQ:13}", "{SEQ:13} at position 1"),
        ("{SEQ}", "{SEQ} at position 1: write the width"),
        ("{YY:2}{SEQ:3}", "{YY:2} at position 1: this token takes no width"),
        ("A{SEQ:3", "Position 2: an unclosed '{'"),
        ("A B{SEQ:3}", "Position 2: ' ' is not allowed"),
        ("序{SEQ:3}", "Position 1: '序' is not allowed"),
        ("{RAND:8}{SEQ:3}", "either numbered ({SEQ:n}) or random"),
        ("ABC", "needs {SEQ:n}"),
        ("{SEQ:12}{YYYY}{MM}{DD}{CHECK}", "at least 21 characters"),
    ],
)
def test_pattern_errors(pattern: str, message: str) -> None:
    with pytest.raises(PatternError) as info:
        SerialPattern.parse(pattern)
    assert message in str(info.value)


def test_parse_with_mode() -> None:
    assert SerialPattern.parse("{SEQ:4}", mode="sequence").mode == "sequence"
    with pytest.raises(PatternError, match="random mode"):
        SerialPattern.parse("{SEQ:4}", mode="random")
    assert SerialPattern.parse("{SEQ:4}") == SerialPattern("{SEQ:4}")


# --- matches ---------------------------------------------------------------------------------

RULE = "A{YY}{MM}{DD}{SEQ:4}{CHECK}"
GOOD = SerialPattern.parse(RULE).render(7, date(2026, 2, 28))


@pytest.mark.parametrize(
    ("serial", "code", "message"),
    [
        ("", "empty", "empty"),
        (" " + GOOD, "whitespace", "starts or ends"),
        (GOOD + "1", "too_long", f"has 13 characters; rule {RULE} gives 12 characters"),
        (GOOD[:-1], "too_short", "has 11 characters"),
        ("B" + GOOD[1:], "literal", "character 1 ('B'): should be 'A'"),
        ("A26O2280007X", "digits", "characters 4-5 ('O2'): {MM} should be digits"),
        ("A2613280007X", "date", "characters 4-5 ('13'): {MM} must be 01 to 12"),
        ("A2602000007X", "date", "{DD} must be 01 to 31"),
        ("A2602300007X", "date", "date that does not exist"),
        ("A26022800A7X", "digits", "{SEQ:4} should be digits"),
        ("A260228 007X", "bad_char", "Character 8 of"),
        ("A260228/007X", "excluded_char", "GB/T 33993"),
    ],
)
def test_matches_errors(serial: str, code: str, message: str) -> None:
    err = fmt_error(RULE, serial)
    assert err.code == code
    assert message in str(err)


def test_matches_check_char_and_good() -> None:
    SerialPattern.parse(RULE).matches(GOOD)
    wrong = "Z" if GOOD[-1] != "Z" else "Y"
    err = fmt_error(RULE, GOOD[:-1] + wrong)
    assert err.code == "check_char"
    assert f"check character should be '{GOOD[-1]}', found '{wrong}'" in str(err)


def test_matches_random_and_day_of_year_and_batch() -> None:
    assert fmt_error("{RAND:8}", "ABCDEFG0").code == "bad_char"
    assert "may only use" in str(fmt_error("{RAND:8}", "ABCDEFGI"))
    SerialPattern.parse("{YYYY}{JJJ}{SEQ:2}").matches("202436601")
    assert fmt_error("{YYYY}{JJJ}{SEQ:2}", "202536601").code == "date"
    assert fmt_error("{YYYY}{JJJ}{SEQ:2}", "202500001").code == "date"
    assert fmt_error("{YYYY}{MM}{DD}{SEQ:2}", "0000010101").code == "date"
    assert "gives at least 4 characters" in str(fmt_error("{BATCH}-{SEQ:2}", "-01"))
    assert fmt_error("{BATCH}{BATCH}{SEQ:2}", "ABC01").code == "pattern"
    assert fmt_error("{BATCH}{SEQ:2}", "A,B01").code == "bad_char"


def test_regex() -> None:
    p = SerialPattern.parse("S.N-{BATCH}{YY}{MM}{SEQ:3}{CHECK}")
    rx = re.compile(p.regex())
    assert rx.fullmatch(p.render(5, NOV3, "L-1"))
    assert not rx.fullmatch("S.N-L-1261300" + "5X")
    assert not rx.fullmatch("SxN-L126110055")
    assert "\\-" not in p.regex().split("[")[0]  # HTML pattern attributes reject "\-"


# --- serial text -----------------------------------------------------------------------------


def test_check_serial_text_accepts_gs1_chars() -> None:
    allowed = "".join(sorted(GS1_AI21_CHARS - set("%&/<>?")))
    assert len(GS1_AI21_CHARS) == 82
    for i in range(0, len(allowed), 20):
        check_serial_text(allowed[i : i + 20])


@pytest.mark.parametrize(
    ("serial", "code", "message"),
    [
        ("", "empty", "empty"),
        ("   ", "empty", "empty"),
        ("SN1\n", "whitespace", "starts or ends"),
        ("X" * 21, "too_long", "21 characters; at most 20"),
        ("SN 1", "bad_char", "Character 3 of 'SN 1' is U+0020"),
        ("SN序1", "bad_char", "Character 3 of 'SN序1' is '序'"),
        ("SNＡ1", "bad_char", "full-width"),
        ("SN~1", "bad_char", "'~'"),
        *[(f"SN{c}1", "excluded_char", f"Character 3 of 'SN{c}1' is '{c}'") for c in "%&/<>?"],
    ],
)
def test_check_serial_text_errors(serial: str, code: str, message: str) -> None:
    with pytest.raises(SerialFormatError) as info:
        check_serial_text(serial)
    assert info.value.code == code
    assert message in str(info.value)


def test_check_serial_text_max_length() -> None:
    check_serial_text("X" * 30, max_length=30)
    with pytest.raises(SerialFormatError, match="at most 5"):
        check_serial_text("X" * 6, max_length=5)


# --- ranges and pasted lists -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "first", "last", "count"),
    [
        ("A0001-A5000", "A0001", "A5000", 5000),
        ("SN-0001-SN-0100", "SN-0001", "SN-0100", 100),
        ("SN-0001~SN-0100", "SN-0001", "SN-0100", 100),
        ("SN-0001 - SN-0100", "SN-0001", "SN-0100", 100),
        ("A0098～A0102", "A0098", "A0102", 5),
        ("A0098—A0102", "A0098", "A0102", 5),
        ("A0098——A0102", "A0098", "A0102", 5),
        ("A0098 至 A0102", "A0098", "A0102", 5),
        ("2026-0001-2026-0003", "2026-0001", "2026-0003", 3),
        ("0001X-0003X", "0001X", "0003X", 3),
        ("A1B0009-A1B0011", "A1B0009", "A1B0011", 3),
        ("7-7", "7", "7", 1),
    ],
)
def test_expand_range(text: str, first: str, last: str, count: int) -> None:
    serials = expand_range(text)
    assert (serials[0], serials[-1], len(serials)) == (first, last, count)


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        ("A0001-B0005", "range_prefix", "must be the same apart from the number"),
        ("A0001X~A0005Y", "range_prefix", "must be the same"),
        ("A0005-A0001", "range_order", "the end 0001 is smaller than the start 0005"),
        ("A8-A12", "range_width", "the numbers 8 and 12 differ in width"),
        ("A0001-A9999", "range_too_big", "has 9999 serials; at most 1000"),
        ("ABC~DEF", "range_no_number", "must end in a number"),
        ("A0001", "range_syntax", "is not a range"),
        ("  ", "empty", "empty"),
    ],
)
def test_expand_range_errors(text: str, code: str, message: str) -> None:
    with pytest.raises(RangeError) as info:
        expand_range(text, max_count=1000)
    assert info.value.code == code
    assert message in str(info.value)
    assert isinstance(info.value, SerialFormatError)


def test_split_pasted() -> None:
    text = (
        "\ufeffA0001, A0002，A0003；A0004;A0005、A0006\r\n\n"
        "SN-0001 - SN-0100\tB1  B2\u3000C0001 ～ C0009 D1 至 D5\n  \n"
    )
    assert split_pasted(text) == [
        "A0001", "A0002", "A0003", "A0004", "A0005", "A0006",
        "SN-0001-SN-0100", "B1", "B2", "C0001～C0009", "D1至D5",
    ]  # fmt: skip
    assert split_pasted(" \n ,， ") == []


def test_expand_pasted_keeps_singles_and_expands_ranges() -> None:
    text = "SN-0001, A0001-A0003\nX9 ~ X11\n2611-0005"
    with pytest.raises(RangeError, match="differ in width"):
        expand_pasted(text)
    text = "SN-0001, A0001-A0003\n2611-0005"
    with pytest.raises(RangeError, match="smaller"):
        expand_pasted(text)  # YYMM-SEQ serials look like ranges ...
    ok = expand_pasted(text, is_serial=lambda s: s.startswith("2611"))  # ... unless recognised
    assert ok == ["SN-0001", "A0001", "A0002", "A0003", "2611-0005"]
    assert expand_pasted("AB-CD, A0001-B0002") == ["AB-CD", "A0001-B0002"]
    with pytest.raises(RangeError, match="must be the same"):
        expand_pasted("A0001~B0002")
    with pytest.raises(RangeError, match="at most 3"):
        expand_pasted("A1, A2-A4", max_count=3)
