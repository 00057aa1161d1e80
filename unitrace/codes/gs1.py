"""Read whatever a scanner or phone camera hands us: GS1 codes, MA codes, URLs, serials.

One entry point, :func:`parse_scan`, because a keyboard-wedge scanner gives no hint of
what it read. The kind is decided in this order:

1. ``MA.<3 digits>.`` at the start: a Chinese MA code (IDcode).
2. ``http(s)://``: a GS1 Digital Link URI when, on any domain and after any path
   prefix, the path holds a primary key AI (01, 00, 8006, ...) with a value and all
   later path keys are AIs; otherwise an ordinary URL (e.g. our own unit page).
3. GS1 data when there is clear evidence for it: a GS1 symbology prefix (``]C1``,
   ``]d2``, ``]e0``, ``]Q3``, ``]J1``), bracketed HRI ``(01)...``, or a group separator:
   0x1D or a written stand-in (``<GS>``, ``{GS}``, ``[GS]``, ``\\x1d``, ``␝``). An
   EAN/UPC/ITF-14 prefix (``]E0``, ``]E4``, ``]I1``) means a bare GTIN.
4. A bare string is GS1 only when it splits completely into at least two AIs whose
   values have the right length and characters, one of them (01) with a correct check
   digit; later errors (dates, pairing) are then reported. So a lone GTIN, a 14-digit
   number starting "01" with a wrong check digit, or ``SN0001`` is a plain serial:
   weaker evidence would reject or mangle our own numeric serials.
5. Anything else: a plain serial.

Checks follow GS1's Syntax Dictionary (``gs1_rules``): length, character set, check
digits, dates, which AIs require or exclude others, Digital Link qualifier order. Its
other check routines (country codes, GCP position, ``csumalpha`` ...) are not applied.
``^`` counts as a separator inside GS1 data only: it is outside GS1's character set
but may well occur in a plain serial.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field, replace
from datetime import date
from urllib.parse import quote, unquote, urlsplit

from biip import ParseError
from biip.checksums import gs1_standard_check_digit
from biip.symbology import GS1Symbology, SymbologyIdentifier
from django.utils.translation import gettext as _

from unitrace.codes.gs1_rules import AI_RULES, Component, components, matches

__all__ = ["ScanResult", "digital_link_uri", "may_be_code", "normalize_gtin", "parse_scan"]

GS = "\x1d"
_GS_STAND_INS = ("<GS>", "{GS}", "[GS]", "\\x1d", "\\u001d", "\u241d")
_SPACE = " \t\r\n\f\v"  # not str.strip(): Python counts GS (0x1D) as whitespace
_CSETS = {
    "N": frozenset("0123456789"),
    "X": frozenset(
        "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
    ),
    "Y": frozenset("#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    "Z": frozenset("-0123456789=ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"),
}
_DATE_CHECKS = ("yymmd0", "yymmdd", "yyyymmdd")
_HRI = re.compile(r"\((\d{2,4})\)")
_MA_CODE = re.compile(r"MA\.\d{3}\.")
_URL = re.compile(r"https?://", re.IGNORECASE)
_GS1_MESSAGE_PREFIXES = frozenset(f"]{s.value}" for s in GS1Symbology.with_gs1_messages())
_GTIN_PREFIXES = frozenset(f"]{s.value}" for s in GS1Symbology.with_gtin())
# may_be_code: how a code can start, and the separators it may hold anywhere
_CODE_START = re.compile(r"[\](]|MA\.|(?i:https?://)|[0-9]{2}.{17}", re.DOTALL)
_ANY_GS = re.compile("|".join(re.escape(s) for s in (GS, *_GS_STAND_INS)))

Pairs = list[tuple[str, str]]


@dataclass(frozen=True)
class ScanResult:
    """What one scan says; ``errors`` lists every problem so an operator can fix the label."""

    raw: str
    kind: str
    symbology: str | None = None
    gtin: str | None = None
    serial: str | None = None
    lot: str | None = None
    production_date: date | None = None
    expiry_date: date | None = None
    ais: dict[str, str] = field(default_factory=dict)
    url: str | None = None
    errors: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_scan(code: str) -> ScanResult:
    """Classify and parse one scan; never raises, problems end up in ``errors``."""
    symbology, text = _split_symbology(code.strip(_SPACE))
    for stand_in in _GS_STAND_INS:
        text = text.replace(stand_in, GS)
    if not text.strip(GS):
        return ScanResult(code, "plain", symbology, errors=(_("Nothing was scanned."),))
    if _MA_CODE.match(text):
        return _ma_code_result(code, symbology, text)
    if _URL.match(text):
        found = _split_digital_link(text)
        if found is None:
            return ScanResult(code, "url", symbology, url=text)
        return replace(_gs1_result(code, "digital_link", symbology, *found), url=text)
    if _HRI.match(text):
        return _gs1_result(code, "gs1", symbology, *_split_hri(text))
    if symbology in _GTIN_PREFIXES:
        return _gtin_result(code, symbology, text)
    pairs, errors = _split_element_string(text.replace("^", GS))
    if symbology in _GS1_MESSAGE_PREFIXES or GS in text or _is_clearly_gs1(pairs, errors):
        return _gs1_result(code, "gs1", symbology, pairs, errors)
    return ScanResult(code, "plain", symbology, serial=text)


def may_be_code(text: str) -> bool:
    """False when :func:`parse_scan` would surely read ``text`` as the plain serial ``text``.

    A quick test so that a long pasted list of bare serials need not go through the
    parser line by line. It follows the order of the module docstring and errs towards
    True: a symbology prefix, ``(``, ``MA.``, a URL, a group separator or a stand-in for
    one, or 19+ characters starting with two digits (the shortest bare element string
    rule 4 accepts is (01) with 14 digits plus a 2-digit AI with one character).
    """
    if not text or text.strip(_SPACE) != text:
        return True
    return _CODE_START.match(text) is not None or _ANY_GS.search(text) is not None


def normalize_gtin(value: str) -> str:
    """Store every GTIN as GTIN-14 so an item has one key whichever barcode was read."""
    digits = value.strip()
    if not (digits.isascii() and digits.isdigit()):
        raise ValueError(_("GTIN %(value)s: only digits are allowed") % {"value": value})
    if len(digits) not in (8, 12, 13, 14):
        msg = _("GTIN %(value)s: %(length)d digits, a GTIN has 8, 12, 13 or 14")
        raise ValueError(msg % {"value": digits, "length": len(digits)})
    expected = gs1_standard_check_digit(digits[:-1])
    if int(digits[-1]) != expected:
        msg = _("GTIN %(value)s: check digit should be %(digit)d")
        raise ValueError(msg % {"value": digits, "digit": expected})
    return digits.zfill(14)


def digital_link_uri(base_url: str, gtin: str, serial: str, lot: str | None = None) -> str:
    """Build the URI a label's QR code carries: phones open it, scanners read GS1 data.

    Raises ValueError for values ``parse_scan`` would reject, so that no label gets
    printed which our own scan pages would then call invalid.
    """
    base = base_url.strip().rstrip("/")
    path = f"{base if '://' in base else 'https://' + base}/01/{normalize_gtin(gtin)}"
    for ai, value in (("10", lot), ("21", serial)):
        if ai == "21" or value:
            problems = _format_errors(ai, value or "")
            if problems:
                raise ValueError(problems[0])
            path += f"/{ai}/{quote(value or '', safe='')}"
    return path


def _split_symbology(text: str) -> tuple[str | None, str]:
    """Scanners may prepend an ISO/IEC 15424 identifier; it tells how to read the rest."""
    if not text.startswith("]"):
        return None, text
    try:
        identifier = SymbologyIdentifier.extract(text).value
    except (ParseError, IndexError, ValueError):
        return None, text
    return identifier, text[len(identifier) :]


def _is_clearly_gs1(pairs: Pairs, errors: list[str]) -> bool:
    """Rule 4 of the module docstring: a bare string needs strong evidence to be GS1."""
    return (
        not errors
        and len(pairs) >= 2
        and not any(_format_errors(ai, value) for ai, value in pairs)
        and _valid_gtin(dict(pairs).get("01")) is not None
    )


def _gtin_result(raw: str, symbology: str | None, text: str) -> ScanResult:
    try:
        gtin = normalize_gtin(text)
    except ValueError as exc:
        return ScanResult(raw, "gs1", symbology, ais={"01": text}, errors=(str(exc),))
    return ScanResult(raw, "gs1", symbology, gtin=gtin, ais={"01": gtin})


def _ma_code_result(raw: str, symbology: str | None, text: str) -> ScanResult:
    """Five DI parts, then parts named by their first letter: S, L, M, E, C (unchecked)."""
    parts = text.split(".")
    ais = {"MA_DI": ".".join(parts[:5])}
    for part in filter(None, parts[5:]):
        ais.setdefault(f"MA_{part[0]}", part[1:])
    errors = []
    if len(parts) < 5:
        errors.append(_("MA code %(code)s: the DI needs five dot-separated parts") % {"code": text})
    dates: dict[str, date | str] = {
        letter: _read_date(value, "yymmdd") if _is_digits(value, 6) else _("not a YYMMDD date")
        for letter in ("M", "E")
        if (value := ais.get(f"MA_{letter}")) is not None
    }
    for letter, reason in dates.items():
        if isinstance(reason, str):
            part = letter + ais[f"MA_{letter}"]
            errors.append(_("MA code .%(part)s: %(reason)s") % {"part": part, "reason": reason})
    good = {letter: found for letter, found in dates.items() if isinstance(found, date)}
    return ScanResult(
        raw,
        "ma_code",
        symbology,
        serial=ais.get("MA_S"),
        lot=ais.get("MA_L"),
        production_date=good.get("M"),
        expiry_date=good.get("E"),
        ais=ais,
        errors=tuple(errors),
    )


def _split_element_string(data: str) -> tuple[Pairs, list[str]]:
    """Fixed-length AIs take their length; the others run to the next GS or the end."""
    pairs: Pairs = []
    pos = 0
    while pos < len(data):
        if data[pos] == GS:
            pos += 1
            continue
        ai = next((data[pos : pos + n] for n in (2, 3, 4) if data[pos : pos + n] in AI_RULES), None)
        if ai is None:
            rest = data[pos : pos + 12]
            if len(data) - pos < 2:
                return pairs, [_("Truncated data at the end: %(rest)s") % {"rest": rest}]
            return pairs, [_("Unknown application identifier at %(rest)s") % {"rest": rest}]
        start = pos + len(ai)
        parts = components(AI_RULES[ai].spec)
        fixed = all(p.min == p.max and not p.optional for p in parts)
        end = start + sum(p.max for p in parts) if fixed else data.find(GS, start)
        pos = len(data) if end < 0 else min(end, len(data))
        pairs.append((ai, data[start:pos]))
    return pairs, []


def _split_hri(text: str) -> tuple[Pairs, list[str]]:
    chunks = _HRI.split(text)
    pairs = [(ai, v.strip(_SPACE)) for ai, v in zip(chunks[1::2], chunks[2::2], strict=True)]
    unknown = [ai for ai, _v in pairs if ai not in AI_RULES]
    msg = _("(%(ai)s): unknown application identifier")
    return [p for p in pairs if p[0] in AI_RULES], [msg % {"ai": ai} for ai in unknown]


def _split_digital_link(url: str) -> tuple[Pairs, list[str]] | None:
    """Find the primary key after any path prefix; None means "not a Digital Link"."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    for start, segment in enumerate(segments[:-1]):
        is_key = getattr(AI_RULES.get(segment), "dlpkey", None) is not None
        if is_key and all(key in AI_RULES for key in segments[start::2]):
            return _read_digital_link(segments[start:], parts.query)
    return None


def _read_digital_link(segments: list[str], query: str) -> tuple[Pairs, list[str]]:
    # Decode after splitting on "/", so an encoded "%2F" stays inside its value.
    values = [unquote(s) for s in segments[1::2]] + [""]  # "" for a key without value
    pairs = list(zip(segments[::2], values, strict=False))
    key, value = pairs[0]
    if key == "01" and value.isdigit() and len(value) in (8, 12, 13):
        pairs[0] = (key, value.zfill(14))
    errors = _qualifier_errors(key, [ai for ai, _v in pairs[1:]])
    for item in query.split("&"):
        name, _sep, raw_value = item.partition("=")
        ai = unquote(name)
        if ai in AI_RULES:  # other parameters (utm_source, ...) are allowed and ignored
            if "?" not in AI_RULES[ai].flags:
                msg = _("(%(ai)s) is not allowed in a Digital Link query string")
                errors.append(msg % {"ai": ai})
            pairs.append((ai, unquote(raw_value)))
    return pairs, errors


def _qualifier_errors(key: str, qualifiers: list[str]) -> list[str]:
    dlpkey = AI_RULES[key].dlpkey
    sequences = [s.split(",") for s in dlpkey.split("|")] if dlpkey else []
    stray = [ai for ai in qualifiers if not any(ai in sequence for sequence in sequences)]
    if stray:
        msg = _("(%(ai)s) cannot follow (%(key)s) in a Digital Link path")
        return [msg % {"ai": ai, "key": key} for ai in stray]
    if qualifiers and not any(_in_order(qualifiers, sequence) for sequence in sequences):
        msg = _("Digital Link path qualifiers out of order: %(got)s; the order is %(order)s")
        order = _(" or ").join(" → ".join(f"({ai})" for ai in seq) for seq in sequences)
        return [msg % {"got": " → ".join(f"({ai})" for ai in qualifiers), "order": order}]
    return []


def _in_order(items: list[str], sequence: list[str]) -> bool:
    remaining = iter(sequence)
    return all(item in remaining for item in items)


def _gs1_result(
    raw: str, kind: str, symbology: str | None, pairs: Pairs, errors: list[str]
) -> ScanResult:
    ais: dict[str, str] = {}
    problems = list(errors)
    for ai, value in dict.fromkeys(pairs):
        problems += _format_errors(ai, value) or _content_errors(ai, value)
        if ai in ais and ais[ai] != value:
            msg = _("(%(ai)s) appears twice with different values: %(first)s and %(second)s")
            problems.append(msg % {"ai": ai, "first": ais[ai], "second": value})
        ais.setdefault(ai, value)
    problems += _pairing_errors(list(ais))
    return ScanResult(
        raw,
        kind,
        symbology,
        gtin=_valid_gtin(ais.get("01")),
        serial=ais.get("21"),
        lot=ais.get("10"),
        production_date=_date_of(ais, "11"),
        expiry_date=_date_of(ais, "17"),
        ais=ais,
        errors=tuple(dict.fromkeys(problems)),
    )


def _pieces(ai: str, value: str) -> list[tuple[Component, str]]:
    """Cut a value into its components: all but the last have a fixed length."""
    parts, pieces, pos = components(AI_RULES[ai].spec), [], 0
    for index, part in enumerate(parts):
        piece = value[pos : pos + part.max] if index < len(parts) - 1 else value[pos:]
        if piece:
            pieces.append((part, piece))
        pos += len(piece)
    return pieces


def _format_errors(ai: str, value: str) -> list[str]:
    """Length and character set: whether the data can be read at all."""
    parts = components(AI_RULES[ai].spec)
    info = {"ai": ai, "value": value, "length": len(value), "max": sum(p.max for p in parts)}
    if not value:
        return [_("(%(ai)s): no data") % info]
    if len(value) > info["max"]:
        return [_("(%(ai)s) %(value)s: %(length)d characters, at most %(max)d allowed") % info]
    pieces = _pieces(ai, value)
    missing = parts[len(pieces) :]
    if any(not p.optional for p in missing) or any(len(s) < p.min for p, s in pieces):
        info["format"] = re.sub(r",\w+", "", AI_RULES[ai].spec)
        return [_("(%(ai)s) %(value)s: truncated, the format is %(format)s") % info]
    for part, piece in pieces:
        bad = next((char for char in piece if char not in _CSETS[part.charset]), None)
        if bad is not None:
            names = {"N": _("digits"), "X": _("GS1's 82 characters"), "Y": _("GS1's 39 characters")}
            msg = _("(%(ai)s) %(value)s: character %(char)r is not allowed, only %(charset)s")
            return [msg % {**info, "char": bad, "charset": names.get(part.charset, "base64url")}]
    return []


def _content_errors(ai: str, value: str) -> list[str]:
    """Check digits and dates, on data that passed ``_format_errors``."""
    errors = []
    for part, piece in _pieces(ai, value):
        expected = gs1_standard_check_digit(piece[:-1]) if "csum" in part.checks else None
        if expected is not None and int(piece[-1]) != expected:
            msg = _("(%(ai)s) %(value)s: check digit should be %(digit)d")
            errors.append(msg % {"ai": ai, "value": value, "digit": expected})
        kind = next((check for check in part.checks if check in _DATE_CHECKS), None)
        found = _read_date(piece, kind) if kind else None
        if isinstance(found, str):
            errors.append(f"({ai}) {value}: {found}")
    return errors


def _pairing_errors(present: list[str]) -> list[str]:
    """The dictionary's ``req`` and ``ex`` attributes, which biip leaves unchecked."""
    errors = []
    reported: set[frozenset[str]] = set()
    for ai in present:
        for requirement in AI_RULES[ai].req:
            groups = [group.split("+") for group in requirement.split(",")]
            if not any(all(any(matches(p, o) for o in present) for p in g) for g in groups):
                names = ["+".join(f"({p})" for p in group) for group in groups]
                last = {"list": ", ".join(names[:-1]), "last": names[-1]}
                options = _("%(list)s or %(last)s") % last if len(names) > 1 else names[0]
                errors.append(_("(%(ai)s) requires %(options)s") % {"ai": ai, "options": options})
        for other in present:
            pair = frozenset((ai, other))
            if (
                other != ai
                and pair not in reported
                and any(matches(p, other) for p in AI_RULES[ai].ex)
            ):
                reported.add(pair)
                msg = _("(%(ai)s) must not be used together with (%(other)s)")
                errors.append(msg % {"ai": ai, "other": other})
    return errors


def _read_date(piece: str, kind: str) -> date | str:
    """The date, or why it is none; day 00 (``yymmd0`` only) is the month's last day."""
    year, rest = (
        (int(piece[:4]), piece[4:]) if kind == "yyyymmdd" else (_full_year(piece[:2]), piece[2:])
    )
    month, day = int(rest[:2]), int(rest[2:4])
    if not 1 <= month <= 12:
        return _("month %(month)02d does not exist") % {"month": month}
    last = calendar.monthrange(year, month)[1]
    if day == 0 and kind == "yymmd0":
        return date(year, month, last)
    if not 1 <= day <= last:
        msg = _("day %(day)02d does not exist in %(year)d-%(month)02d")
        return msg % {"day": day, "year": year, "month": month}
    return date(year, month, day)


def _full_year(two_digits: str) -> int:
    """GS1 General Specifications 7.12: from 49 years back to 50 years ahead of today."""
    this_year = date.today().year
    year = this_year - this_year % 100 + int(two_digits)
    if year - this_year >= 51:
        return year - 100
    return year + 100 if year - this_year <= -50 else year


def _date_of(ais: dict[str, str], ai: str) -> date | None:
    value = ais.get(ai)
    if not value or _format_errors(ai, value):
        return None
    found = _read_date(value, AI_RULES[ai].date or "yymmdd")
    return found if isinstance(found, date) else None


def _valid_gtin(value: str | None) -> str | None:
    try:
        return normalize_gtin(value) if value and len(value) == 14 else None
    except ValueError:
        return None


def _is_digits(value: str, length: int) -> bool:
    return len(value) == length and value.isascii() and value.isdigit()
