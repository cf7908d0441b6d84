"""Characters of the Text API kernels: UTF-8 decoding, the per-code-point flag table's bits, case folding.

``decode`` handles ASCII inline and calls ``decode_multibyte`` for the rest: inlining the whole
decoder at its dozen call sites tripled the kernels' compile time, and a call for every ASCII
character (the kernels are separately compiled functions: LLVM does not inline across them)
made them several times slower.

The Text API's kernels (``vader``, ``sentences``, ``phrases``) read documents as UTF-8 bytes and
need, per character, what Python's ``str`` methods say of it. ``fastscratch.textapi.chars``
tabulates that once from Python's own methods into ``flags`` (uint8, one per code point) and
``fold`` (int32, the single-character lower case of the code points below ``FOLD_LIMIT``); the
bits are defined here so both sides read one definition.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ._config import INLINE_JIT, JIT
from .text import utf8_len
from .vocab import lookup, word_hash

SPACE = 1
"""``str.isspace()``: ``str.split()`` splits on it."""
WORD = 2
"""``str.isalnum()``: a letter or digit (with ``_``, a regular expression's ``\\w``)."""
LOWER = 4
"""Lower or title case (``islower()``, or ``istitle()`` without ``isupper()``): ``str.isupper()`` of a
string holding it is False."""
UPPER = 8
"""``str.isupper()``: a string of it and uncased characters is upper case."""
ASCII_LOWER = 16
"""Not ASCII, yet its ``str.lower()`` holds an ASCII character (KELVIN SIGN to ``k``, I WITH DOT
ABOVE to ``i`` and a combining dot): a word holding it may lower-case into an ASCII word."""
EMOJI = 32
"""A key of VADER's emoji lexicon (``fastscratch.textapi.lexicon``)."""

FOLD_LIMIT = 0x20000
"""``fold`` covers the code points below this; none at or above it has a case (checked by the tests)."""


@njit(**INLINE_JIT)
def decode(buf, i, end):
    """``(code point, length)`` of the UTF-8 character at ``buf[i]`` (``i < end``); ``(-1, 1)`` for
    an invalid or truncated sequence (strict, as ``utf8_len``). Reads no byte at or past ``end``.
    ASCII is decoded here, inline; longer sequences by a call."""
    b0 = np.int64(buf[i])
    if b0 < 0x80:
        return b0, 1
    return decode_multibyte(buf, i, end)


@njit(**JIT)
def decode_multibyte(buf, i, end):
    """``decode`` of a character whose first byte is at least 0x80."""
    b0 = np.int64(buf[i])
    n = utf8_len(buf, i, end)
    if n == 2:
        return ((b0 & 0x1F) << 6) | (np.int64(buf[i + 1]) & 0x3F), 2
    if n == 3:
        return ((b0 & 0x0F) << 12) | ((np.int64(buf[i + 1]) & 0x3F) << 6) | (np.int64(buf[i + 2]) & 0x3F), 3
    if n == 4:
        return (((b0 & 0x07) << 18) | ((np.int64(buf[i + 1]) & 0x3F) << 12) | ((np.int64(buf[i + 2]) & 0x3F) << 6)
                | (np.int64(buf[i + 3]) & 0x3F)), 4
    return np.int64(-1), 1


@njit(**INLINE_JIT)
def flags_of(flags, cp):
    """The flag bits of code point ``cp`` (0 for an invalid one, ``cp < 0``)."""
    if cp < 0 or cp >= flags.shape[0]:
        return 0
    return np.int64(flags[cp])


@njit(**INLINE_JIT)
def fold_cp(fold, cp):
    """``cp``'s lower case when ``str.lower()`` gives one character, else ``cp`` itself."""
    if 0x41 <= cp <= 0x5A:
        return cp + 32
    if cp < 0x80 or cp >= fold.shape[0]:
        return cp
    return np.int64(fold[cp])


@njit(**INLINE_JIT)
def is_word_cp(flags, cp):
    """A word character: ``str.isalnum()`` (``flags``' ``WORD``)."""
    if cp < 0x80:
        return (0x30 <= cp <= 0x39) or (0x41 <= cp <= 0x5A) or (0x61 <= cp <= 0x7A)
    return (flags_of(flags, cp) & WORD) != 0


@njit(**INLINE_JIT)
def is_space_cp(flags, cp):
    """``str.isspace()`` (``flags``' ``SPACE``)."""
    return (flags_of(flags, cp) & SPACE) != 0


@njit(**JIT)
def prev_start(buf, i, start):
    """Index of the first byte of the character that ends just before ``buf[i]`` (not before ``start``)."""
    j = i - 1
    while j > start and (buf[j] & 0xC0) == 0x80 and i - j < 4:
        j -= 1
    return j


@njit(**JIT)
def find_word(table, blob, offsets, buf, s, e):
    """``vocab.lookup`` of ``buf[s:e]`` in ASCII lower case (its hash computed here): the word's index or -1."""
    return lookup(table, blob, offsets, buf, s, e, word_hash(buf, s, e, True), True)
