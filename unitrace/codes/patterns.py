"""Serial rules: the pattern a SKU's serials follow, parsed, checked and rendered.

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

A serial must also pass :func:`~unitrace.codes.serial_text.check_serial_text` (length,
characters); check characters come from :mod:`unitrace.codes.check_chars` and many
serials are rendered at once by :mod:`unitrace.codes.rendering`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from unitrace.codes.check_chars import ALNUM as _ALNUM
from unitrace.codes.check_chars import check_char, has_valid_check_char
from unitrace.codes.rendering import RANDOM_ALPHABET, random_serials, sequence_serials
from unitrace.codes.serial_text import MAX_SERIAL_LENGTH, SerialFormatError, check_serial_text
from unitrace.core.errors import DomainError

MIN_RANDOM = 8  # 32**8 ≈ 1.1e12 combinations
MAX_SEQ_WIDTH = 12
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


class PatternError(DomainError, ValueError):
    """The pattern cannot be used, or cannot render with the given inputs."""

    code = "invalid_pattern"


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
        return sequence_serials(
            pre, suf, self.seq_width or 0, start_seq, stop, self.check_algorithm
        )

    def _render_random(self, pieces: list[str | int], count: int) -> list[str]:
        per = sum(x for x in pieces if isinstance(x, int))
        if count > 32**per // 2:
            raise PatternError(_("Too many random serials requested for this pattern."))
        return random_serials(pieces, count, self.check_algorithm)

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
