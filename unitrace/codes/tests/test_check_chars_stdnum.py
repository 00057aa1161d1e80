"""Check characters come from python-stdnum, also in the bulk renderer's fast path."""

from __future__ import annotations

from datetime import date

import pytest
from stdnum import damm
from stdnum.iso7064 import mod_37_36

from unitrace.codes import check_chars
from unitrace.codes.check_chars import check_char, has_valid_check_char
from unitrace.codes.patterns import SerialPattern

# The second Damm table of stdnum's own documentation: a different quasigroup.
OTHER_DAMM_TABLE = (
    (0, 2, 3, 4, 5, 6, 7, 8, 9, 1),
    (2, 0, 4, 1, 7, 9, 5, 3, 8, 6),
    (3, 7, 0, 5, 2, 8, 1, 6, 4, 9),
    (4, 1, 8, 0, 6, 3, 9, 2, 7, 5),
    (5, 6, 2, 9, 0, 7, 4, 1, 3, 8),
    (6, 9, 7, 3, 1, 0, 8, 5, 2, 4),
    (7, 5, 1, 8, 4, 2, 0, 9, 6, 3),
    (8, 4, 6, 2, 9, 5, 3, 0, 1, 7),
    (9, 8, 5, 7, 3, 1, 6, 4, 0, 2),
    (1, 3, 9, 6, 8, 4, 2, 7, 5, 0),
)


@pytest.fixture
def fresh_machines():
    """Rebuild the cached tables before and after (a test swaps stdnum's functions)."""
    check_chars.checksum_machine.cache_clear()
    check_chars.digit_block.cache_clear()
    yield
    check_chars.checksum_machine.cache_clear()
    check_chars.digit_block.cache_clear()


def test_check_char_is_stdnums(monkeypatch) -> None:
    monkeypatch.setattr(damm, "calc_check_digit", lambda number: f"d{number}")
    monkeypatch.setattr(mod_37_36, "calc_check_digit", lambda number: f"m{number}")
    assert check_char("damm", "572") == "d572"
    assert check_char("mod37_36", "ab-1.2_3") == "mAB123"  # our normalisation, stdnum's sum


def test_validity_is_stdnums(monkeypatch) -> None:
    assert has_valid_check_char("damm", "5724") and not has_valid_check_char("damm", "5723")
    assert has_valid_check_char("mod37_36", "A12425GABC1234002M")
    assert not has_valid_check_char("mod37_36", "A12425GABC1234002m")  # check char as written
    monkeypatch.setattr(damm, "is_valid", lambda number: False)
    assert not has_valid_check_char("damm", "5724")


def test_bulk_rendering_follows_stdnum(monkeypatch, fresh_machines) -> None:
    """render_many's transition tables are built from stdnum, not typed in."""
    original = damm.checksum

    def other_checksum(number, table=None):
        return original(number, table=OTHER_DAMM_TABLE)

    monkeypatch.setattr(damm, "checksum", other_checksum)
    monkeypatch.setattr(damm, "calc_check_digit", lambda number: str(other_checksum(number)))
    serials = SerialPattern.parse("{YY}{SEQ:6}{CHECK}").render_many(1, 2000, date(2026, 1, 1))
    assert all(original(s, table=OTHER_DAMM_TABLE) == 0 for s in serials)
    assert not all(original(s) == 0 for s in serials)  # stdnum's usual table


def test_bulk_rendering_agrees_with_stdnum(fresh_machines) -> None:
    for pattern in ("{YY}{SEQ:7}{CHECK}", "ab-{SEQ:7}.c{CHECK}"):
        p = SerialPattern.parse(pattern)
        for serial in p.render_many(9_990_000, 5000, date(2026, 1, 1)):
            assert serial[-1] == check_char(p.check_algorithm, serial[:-1])
            assert has_valid_check_char(p.check_algorithm, serial)
