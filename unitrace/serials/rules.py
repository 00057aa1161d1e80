"""Serial-number rules: the pattern engine, serial text checks, pasted lists and ranges.

A SKU's serial rule is a pattern; its tokens (shown in the UI help):

- literal text: letters, digits, ``-`` ``.`` ``_``, copied as written
- ``{YYYY}`` ``{YY}`` ``{MM}`` ``{DD}``: production date (calendar year, even next to {WW})
- ``{WW}``: ISO 8601 week 01-53; ``{JJJ}``: day of the year 001-366
- ``{BATCH}``: the batch code (letters, digits, ``-`` ``.`` ``_``)
- ``{SEQ:n}``: running number zero-padded to n digits (1-12); exactly one, sequence mode
- ``{RAND:n}``: n random characters from ``23456789ABCDEFGHJKLMNPQRSTUVWXYZ`` (no 0/O/1/I,
  which customers misread); random mode, at least 8 in total
- ``{CHECK}``: check character, always last. A Damm digit when everything else can only be
  digits, otherwise ISO 7064 MOD 37-36 (0-9, A-Z) over the letters and digits, lowercase
  counted as uppercase and ``-`` ``.`` ``_`` skipped; both computed by python-stdnum. It
  catches typing errors, not fakes.

The mode follows from the pattern: {SEQ:n} means "sequence", {RAND:n} means "random". A
sequence counter is kept per :meth:`SerialPattern.scope_key` (the pattern rendered without
its variable parts), so ``A{YY}{MM}{SEQ:5}`` restarts at each month and never collides.

Pasted and scanned lists (:func:`expand_pasted`): a token that is a barcode's data (GS1
element string with symbology prefix or GS separators, bracketed GS1 text, Digital Link
URI, MA code) is kept whole as a :class:`ScannedCode`; whoever registers it takes its (21)
serial and checks its (01) GTIN against the SKU (``importing.import_serial_list`` does).

Ranges (:func:`expand_range`): ``START<sep>END`` with ``<sep>`` one of ``- ~ ～ — – － 至 到``
(optionally surrounded by spaces, ``——`` counts as one). START and END are
``prefix + number + suffix``: the number is the last run of digits, the suffix has no
digits; prefix and suffix must be identical, the numbers equally wide (``A8-A12`` is an
error: write ``A08-A12``). Of all the separator positions, the one giving identical
prefixes and suffixes is the split, so ``SN-0001-SN-0100`` works.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from django.utils.translation import gettext as _
from stdnum import damm
from stdnum.iso7064 import mod_37_36

from unitrace.core.errors import DomainError
from unitrace.serials.gs1 import ScanResult, may_be_code, parse_scan

MAX_SERIAL_LENGTH = 20  # GS1 AI (21) and GB/T 33993
RANDOM_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # 32 symbols: byte & 31 is unbiased
MIN_RANDOM = 8  # 32**8 ≈ 1.1e12 combinations
MAX_SEQ_WIDTH = 12
GS1_AI21_CHARS = frozenset(
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
)
GBT33993_EXCLUDED = frozenset("%&/<>?")
_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_LITERAL_CHARS = frozenset(_ALNUM + _ALNUM[10:].lower() + "-._")
_DIGITS = frozenset("0123456789")
_DATE_WIDTH = {"YYYY": 4, "YY": 2, "MM": 2, "DD": 2, "WW": 2, "JJJ": 3}
_DATE_LIMIT = {"MM": 12, "DD": 31, "WW": 53, "JJJ": 366}
_REGEX = {
    "YYYY": "[0-9]{4}",
    "YY": "[0-9]{2}",
    "MM": "(?:0[1-9]|1[0-2])",
    "DD": "(?:0[1-9]|[12][0-9]|3[01])",
    "WW": "(?:0[1-9]|[1-4][0-9]|5[0-3])",
    "JJJ": "(?:00[1-9]|0[1-9][0-9]|[12][0-9]{2}|3[0-5][0-9]|36[0-6])",
    "BATCH": r"[A-Za-z0-9._\-]+",
}
_TOKEN_RE = re.compile(r"\{([A-Za-z]*)(?::(\d*))?\}")
_RAND_TRANS = bytes(ord(RANDOM_ALPHABET[b & 31]) for b in range(256))


class PatternError(DomainError, ValueError):
    """The pattern cannot be used, or cannot render with the given inputs."""

    code = "invalid_pattern"


class SerialFormatError(DomainError, ValueError):
    """A serial is not acceptable; ``code`` lets callers count or filter errors by kind."""

    code = "invalid_serial"

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message, code=code)


# --- check characters: python-stdnum, plus its state machine for bulk rendering --------------

_STDNUM = {"damm": damm, "mod37_36": mod_37_36}
_ALPHABET = {"damm": "0123456789", "mod37_36": _ALNUM}
# MOD 37-36 over our serials: lowercase counts as uppercase, - . _ are skipped.
_MOD37_TEXT = str.maketrans(_ALNUM[10:].lower(), _ALNUM[10:], "-._")


def _stdnum_text(algo: str, body: str) -> str:
    return body if algo == "damm" else body.translate(_MOD37_TEXT)


def check_char(algo: str, body: str) -> str:
    """The check character for ``body`` ("damm" or "mod37_36"), by python-stdnum."""
    return _STDNUM[algo].calc_check_digit(_stdnum_text(algo, body))


def has_valid_check_char(algo: str, serial: str) -> bool:
    """Whether the last character of ``serial`` is the right check character (stdnum)."""
    if not serial or serial[-1] not in _ALPHABET[algo]:
        return False
    return _STDNUM[algo].is_valid(_stdnum_text(algo, serial))


@dataclass(frozen=True)
class _Machine:
    start: int
    steps: tuple[dict[str, int], ...]  # state -> {character: next state}
    finals: tuple[str, ...]  # state -> check character


@cache
def _machine(algo: str) -> _Machine:
    """python-stdnum's checksum as a state machine, so render_many needs no call per serial.

    The state after a text is stdnum's ``checksum`` of it, and the next state depends on
    that value only; so each state gets a representative text (found breadth-first), and
    the transitions and check characters are stdnum's results for that text.
    """
    module, alphabet = _STDNUM[algo], _ALPHABET[algo]
    start = module.checksum("")
    reps, frontier = {start: ""}, [""]
    while frontier:
        later = []
        for text in frontier:
            for c in alphabet:
                state = module.checksum(text + c)
                if state not in reps:
                    reps[state] = text + c
                    later.append(text + c)
        frontier = later
    steps = []
    for state in range(len(reps)):
        row = {c: module.checksum(reps[state] + c) for c in alphabet}
        if algo == "mod37_36":
            row.update({c.lower(): row[c] for c in alphabet[10:]} | dict.fromkeys("-._", state))
        steps.append(row)
    finals = tuple(module.calc_check_digit(reps[state]) for state in range(len(reps)))
    return _Machine(start, tuple(steps), finals)


def _run(algo: str, state: int, text: str) -> int:
    steps = _machine(algo).steps
    for c in text:
        state = steps[state][c]
    return state


@cache
def _digit_block(algo: str, k: int) -> tuple[tuple[int, ...], ...]:
    """state -> (state after each k-digit block): one lookup replaces k steps in render_many."""
    steps, out = _machine(algo).steps, []
    for s in range(len(steps)):
        row = [s]
        for _k in range(k):
            row = [steps[r][d] for r in row for d in "0123456789"]
        out.append(tuple(row))
    return tuple(out)


# --- the pattern -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Part:
    kind: str  # "LIT", a date token, "BATCH", "SEQ", "RAND", "CHECK"
    text: str  # literal text, or the token as written (for messages)
    width: int  # 0 for BATCH (variable)
    pos: int  # 1-based position in the pattern


@dataclass(frozen=True)
class SerialPattern:
    """A parsed serial rule; construct with :meth:`parse` (or directly from the text)."""

    text: str
    mode: str = field(init=False, compare=False)
    seq_width: int | None = field(init=False, compare=False)
    check_algorithm: str | None = field(init=False, compare=False)
    parts: tuple[_Part, ...] = field(init=False, compare=False, repr=False)
    shape: re.Pattern[str] = field(init=False, compare=False, repr=False)  # regex(), compiled
    literal_length: int = field(init=False, compare=False, repr=False)
    _dated: bool = field(init=False, compare=False, repr=False)  # has a date to check

    @classmethod
    def parse(cls, text: str, mode: str | None = None) -> SerialPattern:
        """Parse ``text``; if ``mode`` is given the pattern must be of that mode."""
        pattern = cls(text)
        if mode is not None and mode != pattern.mode:
            raise PatternError(
                _("The rule is set to %(mode)s mode but the pattern is a %(actual)s pattern.")
                % {"mode": mode, "actual": pattern.mode}
            )
        return pattern

    def __post_init__(self) -> None:
        parts = _parse_parts(self.text)
        kinds = [p.kind for p in parts]
        seqs = [p for p in parts if p.kind == "SEQ"]
        rands = [p for p in parts if p.kind == "RAND"]
        if seqs and rands:
            raise PatternError(
                _(
                    "%(tok)s at position %(pos)d: a pattern is either numbered ({SEQ:n}) or random "
                    "({RAND:n}), not both."
                )
                % {"tok": rands[0].text, "pos": rands[0].pos}
            )
        if not seqs and not rands:
            raise PatternError(
                _("The pattern needs {SEQ:n} (numbered serials) or {RAND:n} (random serials).")
            )
        if len(seqs) > 1:
            raise PatternError(
                _("%(tok)s at position %(pos)d: a pattern can have only one {SEQ:n}.")
                % {"tok": seqs[1].text, "pos": seqs[1].pos}
            )
        total_rand = sum(p.width for p in rands)
        if rands and total_rand < MIN_RANDOM:
            raise PatternError(
                _(
                    "%(tok)s at position %(pos)d: random serials need at least %(min)d random "
                    "characters in total (this pattern has %(n)d); fewer give too few "
                    "combinations to resist guessing."
                )
                % {"tok": rands[0].text, "pos": rands[0].pos, "min": MIN_RANDOM, "n": total_rand}
            )
        for i, p in enumerate(parts):
            if p.kind == "CHECK" and i != len(parts) - 1:
                raise PatternError(
                    _("{CHECK} at position %(pos)d: the check character must come last.")
                    % {"pos": p.pos}
                )
        shortest = sum(p.width or 1 for p in parts)
        if shortest > MAX_SERIAL_LENGTH:
            raise PatternError(
                _(
                    "The pattern makes serials of at least %(n)d characters; GS1 and GB/T 33993 "
                    "allow at most %(max)d."
                )
                % {"n": shortest, "max": MAX_SERIAL_LENGTH}
            )
        numeric = all(
            (p.kind == "LIT" and p.text.isdigit()) or p.kind in _DATE_WIDTH or p.kind == "SEQ"
            for p in parts
            if p.kind != "CHECK"
        )
        object.__setattr__(self, "parts", parts)
        object.__setattr__(self, "mode", "sequence" if seqs else "random")
        object.__setattr__(self, "seq_width", seqs[0].width if seqs else None)
        algo = ("damm" if numeric else "mod37_36") if "CHECK" in kinds else None
        object.__setattr__(self, "check_algorithm", algo)
        object.__setattr__(self, "shape", re.compile(self.regex()))
        object.__setattr__(self, "literal_length", sum(p.width for p in parts if p.kind == "LIT"))
        dated = "JJJ" in kinds or ("MM" in kinds and "DD" in kinds)
        object.__setattr__(self, "_dated", dated)

    @property
    def max_sequence(self) -> int:
        """Largest sequence number the pattern can hold (0 in random mode)."""
        return 10**self.seq_width - 1 if self.seq_width else 0

    def _fixed(self, part: _Part, when: date, batch_code: str | None) -> str:
        if part.kind == "LIT":
            return part.text
        if part.kind == "BATCH":
            if not batch_code:
                raise PatternError(_("The pattern contains {BATCH} but no batch code was given."))
            bad = next((c for c in batch_code if c not in _LITERAL_CHARS), None)
            if bad is not None:
                raise PatternError(
                    _(
                        "Batch code '%(batch)s' contains '%(char)s'; a batch code used in a serial "
                        "may only contain letters, digits, '-', '.' and '_'."
                    )
                    % {"batch": batch_code, "char": bad}
                )
            return batch_code
        value = {
            "YYYY": when.year,
            "YY": when.year % 100,
            "MM": when.month,
            "DD": when.day,
            "WW": when.isocalendar().week,
            "JJJ": when.timetuple().tm_yday,
        }[part.kind]
        return f"{value:0{part.width}d}"

    def scope_key(self, when: date, batch_code: str | None) -> str:
        """The pattern rendered without SEQ/RAND/CHECK: the sequence counter's key."""
        return "".join(
            self._fixed(p, when, batch_code)
            for p in self.parts
            if p.kind not in ("SEQ", "RAND", "CHECK")
        )

    def render(self, seq: int | None, when: date, batch_code: str | None = None) -> str:
        """One serial; ``seq`` is ignored in random mode."""
        if seq is None and self.mode == "sequence":
            raise PatternError(_("A numbered pattern needs a sequence number."))
        return self.render_many(seq or 0, 1, when, batch_code)[0]

    def render_many(
        self, start_seq: int, count: int, when: date, batch_code: str | None = None
    ) -> list[str]:
        """Serials for ``start_seq .. start_seq+count-1``, or ``count`` distinct random ones."""
        if count < 0:
            raise PatternError(_("Cannot render a negative number of serials."))
        # Pieces: fixed strings, with int placeholders (widths) for SEQ/RAND.
        pieces: list[str | int] = []
        for p in self.parts:
            if p.kind in ("SEQ", "RAND"):
                pieces.append(p.width)
            elif p.kind != "CHECK":
                fixed = self._fixed(p, when, batch_code)
                if pieces and isinstance(pieces[-1], str):
                    pieces[-1] += fixed
                else:
                    pieces.append(fixed)
        length = sum(len(x) if isinstance(x, str) else x for x in pieces)
        length += self.check_algorithm is not None
        if length > MAX_SERIAL_LENGTH:
            raise PatternError(
                _(
                    "With batch code '%(batch)s' the serials would have %(n)d characters; at most "
                    "%(max)d are allowed."
                )
                % {"batch": batch_code, "n": length, "max": MAX_SERIAL_LENGTH}
            )
        if self.mode == "random":
            return self._render_random(pieces, count)
        stop = start_seq + count
        if start_seq < 0 or stop - 1 > self.max_sequence:
            raise PatternError(
                _(
                    "Sequence numbers %(a)d to %(b)d do not fit {SEQ:%(w)d}, which holds 0 to "
                    "%(max)d."
                )
                % {"a": start_seq, "b": stop - 1, "w": self.seq_width, "max": self.max_sequence}
            )
        i = next(i for i, x in enumerate(pieces) if isinstance(x, int))
        pre, suf = "".join(pieces[:i]), "".join(pieces[i + 1 :])  # type: ignore[arg-type]
        w = self.seq_width or 0
        algo = self.check_algorithm
        if algo is None:
            return [f"{pre}{n:0{w}d}{suf}" for n in range(start_seq, stop)]
        machine = _machine(algo)
        s0 = _run(algo, machine.start, pre)
        fin = [machine.finals[_run(algo, s, suf)] for s in range(len(machine.steps))]
        k = min(w, 3)
        base, block = 10**k, _digit_block(algo, k)
        out: list[str] = []
        append = out.append
        cur, row = -1, block[s0]
        for n in range(start_seq, stop):
            hi, lo = divmod(n, base)
            if hi != cur:
                cur = hi
                row = block[_run(algo, s0, f"{hi:0{w - k}d}") if w > k else s0]
            append(f"{pre}{n:0{w}d}{suf}{fin[row[lo]]}")
        return out

    def _render_random(self, pieces: list[str | int], count: int) -> list[str]:
        per = sum(x for x in pieces if isinstance(x, int))
        if count > 32**per // 2:
            raise PatternError(_("Too many random serials requested for this pattern."))
        algo, seen, out = self.check_algorithm, set(), []
        while len(out) < count:
            need = count - len(out)
            pool = secrets.token_bytes(per * need).translate(_RAND_TRANS).decode("ascii")
            for j in range(need):
                off, chunks = j * per, []
                for x in pieces:
                    if isinstance(x, int):
                        chunks.append(pool[off : off + x])
                        off += x
                    else:
                        chunks.append(x)
                serial = "".join(chunks)
                if serial not in seen:
                    seen.add(serial)
                    out.append(serial + check_char(algo, serial) if algo else serial)
        return out

    def matches(self, serial: str) -> None:
        """Raise :class:`SerialFormatError` unless ``serial`` could have come from this rule."""
        check_serial_text(serial)
        n_batch = sum(p.kind == "BATCH" for p in self.parts)
        fixed = sum(p.width for p in self.parts if p.kind != "BATCH")
        extra = len(serial) - fixed
        if extra < n_batch or (not n_batch and extra):
            code = "too_long" if extra > 0 else "too_short"
            raise SerialFormatError(
                code,
                _("'%(serial)s' has %(n)d characters; rule %(rule)s gives %(need)s characters.")
                % {
                    "serial": serial,
                    "n": len(serial),
                    "rule": self.text,
                    "need": _("at least %d") % (fixed + n_batch) if n_batch else fixed,
                },
            )
        if n_batch and extra % n_batch:
            raise SerialFormatError(
                "pattern", _("'%(s)s' does not fit rule %(r)s.") % {"s": serial, "r": self.text}
            )
        pos, values = 0, {}
        for p in self.parts:
            width = p.width or extra // n_batch
            chunk = serial[pos : pos + width]
            why = _field_problem(p, chunk)
            if why:
                raise SerialFormatError(
                    why[0],
                    _("'%(serial)s', %(where)s ('%(chunk)s'): %(why)s")
                    % {"serial": serial, "where": _span(pos, width), "chunk": chunk, "why": why[1]},
                )
            pos += width
            values.setdefault(p.kind, chunk)
        _check_date(serial, values)
        if self.check_algorithm:
            expected = check_char(self.check_algorithm, serial[:-1])
            if serial[-1] != expected:
                raise SerialFormatError(
                    "check_char",
                    _(
                        "'%(serial)s': check character should be '%(exp)s', found '%(got)s' "
                        "(probably a typing error)."
                    )
                    % {"serial": serial, "exp": expected, "got": serial[-1]},
                )

    def check_claimed(self, serial: str) -> None:
        """Raise :class:`SerialFormatError` if ``serial`` claims to be ours but is not valid.

        For SKUs that do not enforce their rule (supplier serials may look different): a
        serial of this rule's form (:attr:`shape`: literals, digits and date fields, length)
        while the rule has a check character claims to be one of our serials, so its check
        character must be right and its date must exist. Serials of any other form pass.
        """
        algo = self.check_algorithm
        if algo is None or self.shape.fullmatch(serial) is None:
            return
        if not has_valid_check_char(algo, serial):
            raise SerialFormatError(
                "check_char",
                _(
                    "'%(serial)s' has the form of serial rule %(rule)s, but its check character "
                    "should be '%(exp)s', found '%(got)s' (probably a typing error)."
                )
                % {
                    "serial": serial,
                    "rule": self.text,
                    "exp": check_char(algo, serial[:-1]),
                    "got": serial[-1],
                },
            )
        if self._dated:
            try:
                self.matches(serial)
            except SerialFormatError as exc:
                if exc.code == "date":
                    raise

    def is_own_serial(self, serial: str) -> bool:
        """Whether ``serial`` fits this rule completely, check character included."""
        if self.shape.fullmatch(serial) is None:
            return False
        try:
            self.matches(serial)
        except SerialFormatError:
            return False
        return True

    def regex(self) -> str:
        """A regular expression for the whole serial (for re.fullmatch or HTML ``pattern``)."""
        out = []
        for p in self.parts:
            if p.kind == "LIT":
                out.append(p.text.replace(".", r"\."))  # re.escape's "\-" breaks HTML (v flag)
            elif p.kind == "SEQ":
                out.append(f"[0-9]{{{p.width}}}")
            elif p.kind == "RAND":
                out.append(f"[{RANDOM_ALPHABET}]{{{p.width}}}")
            elif p.kind == "CHECK":
                out.append("[0-9]" if self.check_algorithm == "damm" else "[0-9A-Z]")
            else:
                out.append(_REGEX[p.kind])
        return "".join(out)


def _field_problem(p: _Part, chunk: str) -> tuple[str, str] | None:
    if p.kind == "LIT" and chunk != p.text:
        return "literal", _("should be '%(lit)s'.") % {"lit": p.text}
    if (p.kind in _DATE_WIDTH or p.kind == "SEQ") and not set(chunk) <= _DIGITS:
        return "digits", _("%(tok)s should be digits.") % {"tok": p.text}
    if p.kind in _DATE_LIMIT and not 1 <= int(chunk) <= _DATE_LIMIT[p.kind]:
        top = f"{_DATE_LIMIT[p.kind]:0{p.width}d}"
        args = {"tok": p.text, "low": f"{1:0{p.width}d}", "top": top}
        return "date", _("%(tok)s must be %(low)s to %(top)s.") % args
    if p.kind == "RAND" and not set(chunk) <= set(RANDOM_ALPHABET):
        return "bad_char", _("%(tok)s may only use %(abc)s.") % {
            "tok": p.text,
            "abc": RANDOM_ALPHABET,
        }
    if p.kind == "BATCH" and not set(chunk) <= _LITERAL_CHARS:
        return "bad_char", _("a batch code may only contain letters, digits, '-', '.' and '_'.")
    return None


def _span(pos: int, width: int) -> str:
    if width == 1:
        return _("character %(a)d") % {"a": pos + 1}
    return _("characters %(a)d-%(b)d") % {"a": pos + 1, "b": pos + width}


def _check_date(serial: str, v: dict[str, str]) -> None:
    year = int(v["YYYY"]) if "YYYY" in v else 2000 + int(v["YY"]) if "YY" in v else 2000
    try:
        if "MM" in v and "DD" in v:
            date(year, int(v["MM"]), int(v["DD"]))
        if int(v.get("JJJ", 1)) > date(year, 12, 31).timetuple().tm_yday:
            raise ValueError
    except ValueError:
        raise SerialFormatError(
            "date", _("'%(serial)s' contains a date that does not exist.") % {"serial": serial}
        )


def _parse_parts(text: str) -> tuple[_Part, ...]:
    if not text:
        raise PatternError(_("The pattern is empty."))
    parts: list[_Part] = []
    i = 0
    while i < len(text):
        c, pos = text[i], i + 1
        if c in _LITERAL_CHARS:
            if parts and parts[-1].kind == "LIT":
                last = parts.pop()
                parts.append(_Part("LIT", last.text + c, last.width + 1, last.pos))
            else:
                parts.append(_Part("LIT", c, 1, pos))
            i += 1
            continue
        m = _TOKEN_RE.match(text, i)
        if c != "{" or not m:
            what = _("an unclosed '{'") if c == "{" else f"'{c}'"
            raise PatternError(
                _(
                    "Position %(pos)d: %(what)s is not allowed; literal text may use letters, "
                    "digits, '-', '.' and '_', tokens are written like {SEQ:5}."
                )
                % {"pos": pos, "what": what}
            )
        tok, name, arg = m.group(0), m.group(1).upper(), m.group(2)
        i = m.end()
        if name in _DATE_WIDTH or name in ("BATCH", "CHECK"):
            if arg is not None:
                raise PatternError(
                    _("%(tok)s at position %(pos)d: this token takes no width.")
                    % {"tok": tok, "pos": pos}
                )
            width = _DATE_WIDTH.get(name, 1 if name == "CHECK" else 0)
        elif name in ("SEQ", "RAND"):
            top = MAX_SEQ_WIDTH if name == "SEQ" else MAX_SERIAL_LENGTH
            if not arg or not 1 <= int(arg) <= top:
                raise PatternError(
                    _(
                        "%(tok)s at position %(pos)d: write the width as {%(name)s:n} with n from "
                        "1 to %(top)d."
                    )
                    % {"tok": tok, "pos": pos, "name": name, "top": top}
                )
            width = int(arg)
        else:
            raise PatternError(
                _(
                    "Unknown token %(tok)s at position %(pos)d; known tokens: {YYYY} {YY} {MM} "
                    "{DD} {WW} {JJJ} {BATCH} {SEQ:n} {RAND:n} {CHECK}."
                )
                % {"tok": tok, "pos": pos}
            )
        parts.append(_Part(name, tok, width, pos))
    return tuple(parts)


# --- serial text, pasted lists and ranges -----------------------------------------------------


def _show(c: str) -> str:
    return f"'{c}'" if c.isprintable() and not c.isspace() else f"U+{ord(c):04X}"


_EXCEL_MANGLED = re.compile(r"^\d(\.\d+)?E\+\d+$", re.IGNORECASE)


def check_serial_text(serial: str, max_length: int = MAX_SERIAL_LENGTH) -> None:
    """Raise :class:`SerialFormatError` unless ``serial`` can go into a GS1 (21) / GB/T field.

    A long numeric serial that Excel showed as ``1.23457E+11`` is refused by name: its
    digits are gone, and registering the rounded text would create a unit nobody owns.
    """
    if not serial or not serial.strip():
        raise SerialFormatError("empty", _("The serial is empty."))
    if _EXCEL_MANGLED.match(serial):
        raise SerialFormatError(
            "excel_number",
            _(
                "'%(serial)s' was turned into a number by Excel and its digits are lost; "
                "format the column as text and export again"
            )
            % {"serial": serial},
        )
    if serial != serial.strip():
        raise SerialFormatError(
            "whitespace",
            _("'%(serial)s' starts or ends with a space or line break.") % {"serial": serial},
        )
    if len(serial) > max_length:
        raise SerialFormatError(
            "too_long",
            _("'%(serial)s' has %(n)d characters; at most %(max)d are allowed.")
            % {"serial": serial, "n": len(serial), "max": max_length},
        )
    for pos, c in enumerate(serial, 1):
        args = {"serial": serial, "pos": pos, "char": _show(c)}
        if c in GBT33993_EXCLUDED:
            raise SerialFormatError(
                "excluded_char",
                _(
                    "Character %(pos)d of '%(serial)s' is %(char)s, which GB/T "
                    "33993 excludes from serials (%(list)s)."
                )
                % {**args, "list": " ".join(sorted(GBT33993_EXCLUDED))},
            )
        if c not in GS1_AI21_CHARS:
            hint = ""
            if 0xFF01 <= ord(c) <= 0xFF5E or c == "\u3000":
                hint = _(" (a full-width character: switch the input method to half-width)")
            raise SerialFormatError(
                "bad_char",
                _(
                    "Character %(pos)d of '%(serial)s' is %(char)s, which GS1 does not "
                    "allow in serials%(hint)s."
                )
                % {**args, "hint": hint},
            )


class RangeError(SerialFormatError):
    """A range like A0001-A5000 that cannot be expanded."""

    code = "invalid_range"


_RANGE_SEPS = frozenset("-~～—–－至到")
_TAIL_RE = re.compile(r"([0-9]+)([^0-9]*)$")
_Endpoint = tuple[str, str, str]  # prefix, digits, suffix


def _endpoint(text: str) -> _Endpoint | None:
    m = _TAIL_RE.search(text)
    return (text[: m.start()], m.group(1), m.group(2)) if m else None


def _analyse_range(
    text: str,
) -> tuple[tuple[_Endpoint, _Endpoint] | None, RangeError | None, bool]:
    """(start, end) or the error worth reporting, and whether ``text`` is meant as a range.

    Every separator is tried as the split; '-' also occurs inside serials, so a text whose
    only separators are '-' and that splits nowhere into matching halves is not a range.
    """
    t = text.strip().replace("——", "—")
    good, wide, bad = [], [], []
    strong = False
    for i, c in enumerate(t):
        if c not in _RANGE_SEPS:
            continue
        strong |= c != "-"
        left, right = t[:i].strip(), t[i + 1 :].strip()
        a, b = _endpoint(left), _endpoint(right)
        rank = (c == "-", abs(2 * i + 1 - len(t)))  # prefer '~' etc., then the middle
        args = {"text": t, "a": left, "b": right}
        if a is None or b is None:
            msg = _("'%(text)s': both ends of a range must end in a number, e.g. A0001-A0100.")
            bad.append((rank, RangeError("range_no_number", msg % args)))
        elif (a[0], a[2]) != (b[0], b[2]):
            msg = _(
                "'%(text)s': start '%(a)s' and end '%(b)s' must be the same apart from the number."
            )
            bad.append((rank, RangeError("range_prefix", msg % args)))
        else:
            (good if len(a[1]) == len(b[1]) else wide).append((a, b))
    if len(good) == 1:
        return good[0], None, True
    if good:
        msg = _("'%(text)s' can be read as a range in more than one way.") % {"text": t}
        return None, RangeError("range_ambiguous", msg), True
    if wide:
        (_p, a_num, _s), (_p2, b_num, _s2) = wide[0]
        msg = _(
            "'%(text)s': the numbers %(a)s and %(b)s differ in width; pad them with zeros "
            "to the same number of digits."
        ) % {"text": t, "a": a_num, "b": b_num}
        return None, RangeError("range_width", msg), True
    if bad:
        return None, min(bad, key=lambda x: x[0])[1], strong
    msg = _("'%(text)s' is not a range; write it as start-end, e.g. A0001-A5000.") % {"text": t}
    return None, RangeError("range_syntax", msg), False


def expand_range(text: str, max_count: int = 1_000_000) -> list[str]:
    """All serials of ``text`` ("A0001-A5000"); grammar in the module docstring."""
    if not text.strip():
        raise RangeError("empty", _("The range is empty."))
    pair, err, _looks = _analyse_range(text)
    if err is not None or pair is None:
        raise err or RangeError("range_syntax", text)
    (prefix, a, suffix), (_p, b, _s) = pair
    lo, hi = int(a), int(b)
    if hi < lo:
        raise RangeError(
            "range_order",
            _("'%(text)s': the end %(b)s is smaller than the start %(a)s.")
            % {"text": text.strip(), "a": a, "b": b},
        )
    if hi - lo + 1 > max_count:
        raise RangeError(
            "range_too_big",
            _("'%(text)s' has %(n)d serials; at most %(max)d at a time.")
            % {"text": text.strip(), "n": hi - lo + 1, "max": max_count},
        )
    return [f"{prefix}{n:0{len(a)}d}{suffix}" for n in range(lo, hi + 1)]


class ScannedCode(str):
    """A pasted or scanned token that is a barcode's data, not a bare serial.

    The text is the code as scanned (callers may show it or parse it again); ``scan`` is
    :func:`~unitrace.serials.gs1.parse_scan`'s reading, ``line`` the 1-based line of the
    pasted text. Registering it means taking ``serial`` (GS1 (21)) and checking ``gtin``
    (GS1 (01)) against the SKU, never registering the text itself.
    """

    scan: ScanResult
    line: int

    def __new__(cls, text: str, scan: ScanResult, line: int = 1) -> ScannedCode:
        code = super().__new__(cls, text)
        code.scan = scan
        code.line = line
        return code

    def __reduce__(self):
        return (ScannedCode, (str(self), self.scan, self.line))

    @property
    def serial(self) -> str | None:
        return self.scan.serial

    @property
    def gtin(self) -> str | None:
        return self.scan.gtin

    @property
    def shown(self) -> str:
        """The text with group separators written as ``<GS>``, for messages."""
        return str(self).replace("\x1d", "<GS>")


_CODE_KINDS = frozenset({"gs1", "digital_link", "ma_code"})


def scanned_code(text: str, line: int = 1) -> ScannedCode | None:
    """``text`` as a :class:`ScannedCode` if it is a barcode's data, else None (a serial).

    Barcode data: a GS1 code (element string, bracketed text, Digital Link), an MA code,
    or anything behind a scanner's symbology prefix such as ``]Q1``.
    """
    if not may_be_code(text):
        return None
    scan = parse_scan(text)
    if scan.kind in _CODE_KINDS or scan.symbology is not None:
        return ScannedCode(text, scan, line)
    return None


def expand_pasted(
    text: str, max_count: int = 1_000_000, is_serial: Callable[[str], bool] | None = None
) -> list[str]:
    """:func:`split_pasted`, then ranges expanded and single serials kept.

    Scanned codes come back whole as :class:`ScannedCode` (never split, never read as a
    range); plain serials and expanded ranges as ``str``. Serials like ``2611-0005`` look
    like ranges; pass ``is_serial`` (e.g. the rule's :meth:`SerialPattern.matches` as a
    predicate) to keep such tokens whole.
    """
    out: list[str] = []
    for token in split_pasted(text):
        if is_serial is not None and is_serial(token):
            out.append(str(token))
        elif isinstance(token, ScannedCode):
            out.append(token)
        else:
            _pair, _err, looks = _analyse_range(token)
            out.extend(expand_range(token, max_count) if looks else [token])
        if len(out) > max_count:
            raise RangeError(
                "range_too_big",
                _("Too many serials: at most %(max)d at a time.") % {"max": max_count},
            )
    return out


_JOIN_RE = re.compile(
    r"[ \u3000]*([~～—–－至到]+)[ \u3000]*|[ \u3000]+-[ \u3000]*|[ \u3000]*-[ \u3000]+"
)
# Not "\s": Python counts the GS1 group separator (0x1D) as whitespace, and str.splitlines()
# breaks lines at it; a GS1 element string must never be cut there.
_SEPARATORS = r"(?:[^\S\x1d]|[,，、;；\ufeff\u200b])+"
_SPLIT_RE = re.compile(_SEPARATORS)
_EDGES_RE = re.compile(f"^{_SEPARATORS}|{_SEPARATORS}$")
_LINE_RE = re.compile(r"\r\n|[\n\r\v\f\x85\u2028\u2029]")


def split_pasted(text: str) -> list[str]:
    """Tokens of a pasted or scanned list, in order; "A0001 - A0100" stays one token.

    Tokens that are scanned codes come as :class:`ScannedCode`. Spaces and commas
    separate tokens, but a line that reads as one valid code as a whole (bracketed text
    with spaces ``(01) 0690... (21) A``, or a (21) holding a comma) is one token; and a
    line with a broken code in it stays whole, so that its errors are reported rather
    than its pieces registered.
    """
    tokens = _plain_tokens(text)
    if not any(may_be_code(t) for t in tokens):
        return tokens  # the usual list of bare serials and ranges: no line-by-line work
    tokens = []
    for number, line in enumerate(_LINE_RE.split(text), 1):
        tokens.extend(_line_tokens(line, number))
    return tokens


def _plain_tokens(text: str) -> list[str]:
    return [t for t in _SPLIT_RE.split(_JOIN_RE.sub(lambda m: m.group(1) or "-", text)) if t]


def _line_tokens(line: str, number: int) -> list[str]:
    parts = _plain_tokens(line)
    codes = [scanned_code(t, number) for t in parts]
    if len(parts) > 1:
        whole = scanned_code(_EDGES_RE.sub("", line), number)
        broken = any(c is not None and not c.scan.ok for c in codes)
        if whole is not None and (whole.scan.ok or broken):
            return [whole]
    return [c if c is not None else t for c, t in zip(codes, parts, strict=True)]
