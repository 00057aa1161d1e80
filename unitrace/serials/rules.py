"""Moved to :mod:`unitrace.codes` (split by what it holds); goes once every import moved."""

from unitrace.codes.check_chars import check_char, has_valid_check_char
from unitrace.codes.check_chars import checksum_machine as _machine
from unitrace.codes.check_chars import digit_block as _digit_block
from unitrace.codes.pasted import ScannedCode, expand_pasted, scanned_code, split_pasted
from unitrace.codes.patterns import MAX_SEQ_WIDTH, MIN_RANDOM, PatternError, SerialPattern
from unitrace.codes.ranges import RangeError, expand_range
from unitrace.codes.rendering import RANDOM_ALPHABET
from unitrace.codes.serial_text import (
    GBT33993_EXCLUDED,
    GS1_AI21_CHARS,
    MAX_SERIAL_LENGTH,
    SerialFormatError,
    check_serial_text,
)

__all__ = [
    "GBT33993_EXCLUDED",
    "GS1_AI21_CHARS",
    "MAX_SEQ_WIDTH",
    "MAX_SERIAL_LENGTH",
    "MIN_RANDOM",
    "RANDOM_ALPHABET",
    "PatternError",
    "RangeError",
    "ScannedCode",
    "SerialFormatError",
    "SerialPattern",
    "_digit_block",
    "_machine",
    "check_char",
    "check_serial_text",
    "expand_pasted",
    "expand_range",
    "has_valid_check_char",
    "scanned_code",
    "split_pasted",
]
