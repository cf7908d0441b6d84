"""What Python's ``str`` methods say of each character, tabulated once for the Text API's kernels.

``flags()`` is uint8[0x110000] with the bits of ``fastscratch.kernels.codepoints`` (``SPACE``,
``WORD``, ``LOWER``, ``UPPER``, ``ASCII_LOWER``, ``EMOJI``), ``fold()`` int32[FOLD_LIMIT]: each
code point's ``str.lower()`` when that is one character, else the code point itself. Both come
from the running Python (its Unicode version), are built on first use (about 0.2 s) and are
read-only.
"""

from __future__ import annotations

import functools

import numpy as np

from fastscratch.kernels import codepoints as _cp

__all__ = ["flags", "fold", "fold_text"]


@functools.lru_cache(maxsize=1)
def flags() -> np.ndarray:
    """uint8[0x110000]: the ``codepoints`` bits of every code point (surrogates: 0)."""
    from fastscratch.textapi.lexicon import emoji_descriptions

    table = np.zeros(0x110000, dtype=np.uint8)
    for cp in range(_cp.FOLD_LIMIT):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        f = 0
        if ch.isspace():
            f |= _cp.SPACE
        if ch.isalnum():
            f |= _cp.WORD
        if not ("A" + ch).isupper():  # str.isupper() fails on a string holding it: lower or title case
            f |= _cp.LOWER
        if ch.isupper():
            f |= _cp.UPPER
        if cp >= 0x80 and any(c < "\x80" for c in ch.lower()):
            f |= _cp.ASCII_LOWER
        table[cp] = f
    # Above FOLD_LIMIT no character has a case or is whitespace (the tests check the whole range):
    # only letters and digits are told apart there.
    word = [cp for cp in range(_cp.FOLD_LIMIT, 0x110000) if chr(cp).isalnum()]
    table[word] = _cp.WORD
    for ch in emoji_descriptions():
        table[ord(ch)] |= _cp.EMOJI
    table.flags.writeable = False
    return table


@functools.lru_cache(maxsize=1)
def fold() -> np.ndarray:
    """int32[FOLD_LIMIT]: the lower case of each code point when ``str.lower()`` gives one
    character (``"É"`` to ``"é"``), else the code point itself (``"İ"``, whose lower case is two)."""
    table = np.arange(_cp.FOLD_LIMIT, dtype=np.int32)
    for cp in range(_cp.FOLD_LIMIT):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        low = chr(cp).lower()
        if len(low) == 1:
            table[cp] = ord(low)
    table.flags.writeable = False
    return table


def fold_text(text: str) -> str:
    """``text`` with every character folded as ``fold()`` folds it: the case rule of keyword
    matching and phrases (``str.lower()``, character by character, where that keeps one character)."""
    out = []
    for ch in text:
        low = ch.lower()
        out.append(low if len(low) == 1 else ch)
    return "".join(out)
