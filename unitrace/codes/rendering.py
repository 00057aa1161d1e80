"""Rendering many serials at once: numbered runs with their check characters, random serials.

:class:`~unitrace.codes.patterns.SerialPattern` decides what to render (its fixed pieces,
the sequence numbers, the length limits); this module turns that into strings fast.
Random serials use an alphabet without 0/O/1/I, which customers misread.
"""

from __future__ import annotations

import secrets

from unitrace.codes.check_chars import advance, check_char, checksum_machine, digit_block

RANDOM_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # 32 symbols: byte & 31 is unbiased
_RAND_TRANS = bytes(ord(RANDOM_ALPHABET[b & 31]) for b in range(256))


def sequence_serials(
    pre: str, suf: str, width: int, start: int, stop: int, algo: str | None
) -> list[str]:
    """``pre`` + n zero-padded to ``width`` + ``suf`` for n in start..stop-1, then the check.

    Each check character comes from the state machine: ``pre`` is read once, then one
    lookup per block of up to three digits, so no serial calls stdnum.
    """
    w = width
    if algo is None:
        return [f"{pre}{n:0{w}d}{suf}" for n in range(start, stop)]
    machine = checksum_machine(algo)
    s0 = advance(algo, machine.start, pre)
    fin = [machine.finals[advance(algo, s, suf)] for s in range(len(machine.steps))]
    k = min(w, 3)
    base, block = 10**k, digit_block(algo, k)
    out: list[str] = []
    append = out.append
    cur, row = -1, block[s0]
    for n in range(start, stop):
        hi, lo = divmod(n, base)
        if hi != cur:
            cur = hi
            row = block[advance(algo, s0, f"{hi:0{w - k}d}") if w > k else s0]
        append(f"{pre}{n:0{w}d}{suf}{fin[row[lo]]}")
    return out


def random_serials(pieces: list[str | int], count: int, algo: str | None) -> list[str]:
    """``count`` distinct serials: fixed strings, and random characters where a width stands.

    The caller makes sure the pattern has room for ``count`` distinct serials.
    """
    per = sum(x for x in pieces if isinstance(x, int))
    seen, out = set(), []
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
