"""Ranges of serials such as ``A0001-A5000``: how they read and what they expand to.

A range (:func:`expand_range`) is ``START<sep>END`` with ``<sep>`` one of ``- ~ ～ — – － 至 到``
(optionally surrounded by spaces, ``——`` counts as one). START and END are
``prefix + number + suffix``: the number is the last run of digits, the suffix has no
digits; prefix and suffix must be identical, the numbers equally wide (``A8-A12`` is an
error: write ``A08-A12``). Of all the separator positions, the one giving identical
prefixes and suffixes is the split, so ``SN-0001-SN-0100`` works.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from unitrace.codes.serial_text import SerialFormatError


class RangeError(SerialFormatError):
    """A range like A0001-A5000 that cannot be expanded."""

    code = "invalid_range"


_RANGE_SEPS = frozenset("-~～—–－至到")
_TAIL_RE = re.compile(r"([0-9]+)([^0-9]*)$")
_Endpoint = tuple[str, str, str]  # prefix, digits, suffix


def _endpoint(text: str) -> _Endpoint | None:
    m = _TAIL_RE.search(text)
    return (text[: m.start()], m.group(1), m.group(2)) if m else None


def analyse_range(
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
    pair, err, _looks = analyse_range(text)
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
