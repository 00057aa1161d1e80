"""Check characters: a Damm digit or ISO 7064 MOD 37-36, both computed by python-stdnum.

MOD 37-36 runs over the letters and digits of a serial, lowercase counted as uppercase
and ``-`` ``.`` ``_`` skipped. Besides the two checks this holds stdnum's checksum as a
state machine (:func:`checksum_machine`), so rendering a million serials needs no call
into stdnum per serial. A check character catches typing errors, not fakes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from stdnum import damm
from stdnum.iso7064 import mod_37_36

ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # MOD 37-36's alphabet

_STDNUM = {"damm": damm, "mod37_36": mod_37_36}
_ALPHABET = {"damm": "0123456789", "mod37_36": ALNUM}
# MOD 37-36 over our serials: lowercase counts as uppercase, - . _ are skipped.
_MOD37_TEXT = str.maketrans(ALNUM[10:].lower(), ALNUM[10:], "-._")


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
class ChecksumMachine:
    """stdnum's checksum of a growing text: the start state, transitions, final characters."""

    start: int
    steps: tuple[dict[str, int], ...]  # state -> {character: next state}
    finals: tuple[str, ...]  # state -> check character


@cache
def checksum_machine(algo: str) -> ChecksumMachine:
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
    return ChecksumMachine(start, tuple(steps), finals)


def advance(algo: str, state: int, text: str) -> int:
    """The machine's state after reading ``text`` from ``state``."""
    steps = checksum_machine(algo).steps
    for c in text:
        state = steps[state][c]
    return state


@cache
def digit_block(algo: str, k: int) -> tuple[tuple[int, ...], ...]:
    """state -> (state after each k-digit block): one lookup replaces k steps in render_many."""
    steps, out = checksum_machine(algo).steps, []
    for s in range(len(steps)):
        row = [s]
        for _k in range(k):
            row = [steps[r][d] for r in row for d in "0123456789"]
        out.append(tuple(row))
    return tuple(out)
