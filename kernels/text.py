"""What the kernels call whitespace, a line end and a character: the one table every tokenizer reads.

Whitespace is Python's ``str.split()``'s (no argument): the characters whose ``str.isspace()``
is true. In ASCII those are the bytes 9-13 (``\\t \\n \\v \\f \\r``) and 28-32 (``\\x1c``-``\\x1f``
and the space); beyond ASCII, U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F,
U+205F and U+3000 (none above U+FFFF). Lines end as the reference's text-mode ``for line in f``
(universal newlines) ends them: at ``\\n``, ``\\r\\n`` or a lone ``\\r``; the other whitespace
bytes only separate fields.

Also here: the strict UTF-8 sequence length, the code-point classes the featurizer reads
(``UNICODE_*``, tabulated on the Python side from ``str.isspace()``/``str.lower()``), and the
SWAR (SIMD within a 64-bit word) masks the tokenizers scan with. Every kernel that needs one of
these imports it from here. ``tests/test_text.py`` checks the tables against Python's own
``str.split()`` and ``str.isspace()`` for every byte and every code point.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ._config import INLINE_JIT, JIT

# ---- the whitespace set -------------------------------------------------------------------------

ASCII_WHITESPACE = (9, 10, 11, 12, 13, 28, 29, 30, 31, 32)
"""The bytes that ``str.split()`` splits on (all below 0x21)."""

LINE_BREAKS = (10, 13)
"""``\\n`` and ``\\r``: the whitespace bytes that end a line (``\\r\\n`` ends one line)."""

UNICODE_WHITESPACE = (0x85, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000)
"""The non-ASCII code points that ``str.split()`` splits on."""

U64 = np.uint64
"""The SWAR word type."""

WHITESPACE_BITS = U64(sum(1 << b for b in ASCII_WHITESPACE))
"""Bit ``b`` set for each whitespace byte ``b`` (all are below 64): ``(WHITESPACE_BITS >> b) & 1``."""

FIELD_SEP_BITS = U64(int(WHITESPACE_BITS) & ~sum(1 << b for b in LINE_BREAKS))
"""Like ``WHITESPACE_BITS`` without the line breaks: the bytes that separate fields of one line."""

# Byte classes of the featurizer's byte loop.
BYTE_WORD, BYTE_SPACE, BYTE_HIGH = 0, 1, 2
BYTE_CLASS = np.zeros(256, dtype=np.uint8)
"""uint8[256]: ``BYTE_SPACE`` for the ASCII whitespace, ``BYTE_HIGH`` for bytes >= 0x80 (part
of a multi-byte character: see :func:`unicode_class`), ``BYTE_WORD`` for the rest."""
BYTE_CLASS[list(ASCII_WHITESPACE)] = BYTE_SPACE
BYTE_CLASS[128:] = BYTE_HIGH

# Classes of non-ASCII code points in the table the featurizer is given (one uint8 per BMP code
# point, built by ``fastscratch.vectors.unicode_classes`` from Python's own str methods).
UNICODE_PYTHON = 0
"""Only Python handles it exactly: ``str.lower()`` changes it (or it is a surrogate)."""
UNICODE_PLAIN = 1
"""A token character that ``str.lower()`` leaves unchanged."""
UNICODE_SPACE = 2
"""Whitespace: ``str.isspace()``."""


@njit(**INLINE_JIT)
def is_whitespace(b) -> bool:
    """True for the ASCII whitespace of ``str.split()`` (line breaks included)."""
    return b <= 32 and ((WHITESPACE_BITS >> U64(b)) & U64(1)) != U64(0)


@njit(**INLINE_JIT)
def is_field_sep(b) -> bool:
    """True for the ASCII whitespace that does not end a line."""
    return b <= 32 and ((FIELD_SEP_BITS >> U64(b)) & U64(1)) != U64(0)


@njit(**INLINE_JIT)
def is_line_break(b) -> bool:
    """True for ``\\n`` and ``\\r``."""
    return b == 10 or b == 13


# ---- lines --------------------------------------------------------------------------------------


@njit(**INLINE_JIT)
def next_line(buf, i, end):
    """``(line_end, next_line_start)`` of the line starting at ``buf[i]``, reading ``buf[i:end]``.

    ``line_end`` is the index of its line break (or ``end``); ``next_line_start`` is past the
    break, ``\\r\\n`` counting as one.
    """
    i = max(i, 0)
    while i < end and not is_line_break(buf[i]):
        i += 1
    le = i
    if i < end:
        if buf[i] == 13 and i + 1 < end and buf[i + 1] == 10:
            i += 1
        i += 1
    return le, i


# ---- characters ---------------------------------------------------------------------------------


@njit(**JIT)
def utf8_len(buf, i, end) -> int:
    """Length of the valid UTF-8 sequence starting at ``buf[i]`` (a byte >= 0x80), 0 if invalid.

    Strict like Python's decoder: no overlong forms, no surrogates, nothing above U+10FFFF;
    reads no byte at or past ``end``.
    """
    b0 = buf[i]
    if 0xC2 <= b0 <= 0xDF:
        if i + 1 < end and 0x80 <= buf[i + 1] <= 0xBF:
            return 2
        return 0
    if 0xE0 <= b0 <= 0xEF:
        if i + 2 >= end:
            return 0
        b1 = buf[i + 1]
        lo = 0x80
        hi = 0xBF
        if b0 == 0xE0:
            lo = 0xA0
        elif b0 == 0xED:
            hi = 0x9F
        if lo <= b1 <= hi and 0x80 <= buf[i + 2] <= 0xBF:
            return 3
        return 0
    if 0xF0 <= b0 <= 0xF4:
        if i + 3 >= end:
            return 0
        b1 = buf[i + 1]
        lo = 0x80
        hi = 0xBF
        if b0 == 0xF0:
            lo = 0x90
        elif b0 == 0xF4:
            hi = 0x8F
        if lo <= b1 <= hi and 0x80 <= buf[i + 2] <= 0xBF and 0x80 <= buf[i + 3] <= 0xBF:
            return 4
        return 0
    return 0


@njit(**JIT)
def is_unicode_space(buf, i, n) -> bool:
    """True when the valid ``n``-byte UTF-8 sequence at ``buf[i]`` is in ``UNICODE_WHITESPACE``.

    Matched on the encoded bytes: U+0085 and U+00A0 are ``C2 85``/``C2 A0``; U+1680 ``E1 9A 80``;
    U+2000-U+200A ``E2 80 80``-``E2 80 8A``, U+2028/9 ``E2 80 A8``/``A9``, U+202F ``E2 80 AF``;
    U+205F ``E2 81 9F``; U+3000 ``E3 80 80``.
    """
    b0 = buf[i]
    if n == 2:
        b1 = buf[i + 1]
        return b0 == 0xC2 and (b1 == 0x85 or b1 == 0xA0)
    if n == 3:
        b1 = buf[i + 1]
        b2 = buf[i + 2]
        if b0 == 0xE1:
            return b1 == 0x9A and b2 == 0x80
        if b0 == 0xE2:
            if b1 == 0x80:
                return b2 <= 0x8A or b2 == 0xA8 or b2 == 0xA9 or b2 == 0xAF
            return b1 == 0x81 and b2 == 0x9F
        if b0 == 0xE3:
            return b1 == 0x80 and b2 == 0x80
    return False


@njit(**INLINE_JIT)
def unicode_class(buf, i, end, classes):
    """``(class, length)`` of the UTF-8 character starting at ``buf[i]`` (a byte >= 0x80).

    ``classes`` is the uint8 table of BMP code points (``UNICODE_*``). An invalid sequence or an
    astral character is ``(UNICODE_PYTHON, 1)``, a code point past the table ``(UNICODE_PYTHON,
    length)``: either stops the featurizer's document, whatever the length.
    """
    n = utf8_len(buf, i, end)
    b0 = np.int64(buf[i])
    if n == 2:
        cp = ((b0 & 0x1F) << 6) | (np.int64(buf[i + 1]) & 0x3F)
    elif n == 3:
        cp = ((b0 & 0x0F) << 12) | ((np.int64(buf[i + 1]) & 0x3F) << 6) | (np.int64(buf[i + 2]) & 0x3F)
    else:
        return UNICODE_PYTHON, 1
    if cp >= classes.shape[0]:
        return UNICODE_PYTHON, n
    return np.int64(classes[cp]), n


# ---- SWAR: eight bytes at a time ----------------------------------------------------------------

HIGH_BITS = U64(0x8080808080808080)
"""The high bit of each byte: the SWAR masks below mark a byte by setting its high bit."""
LOW7_BITS = U64(0x7F7F7F7F7F7F7F7F)
"""The low seven bits of each byte."""
_ADD_GE21 = U64(0x5F5F5F5F5F5F5F5F)  # 0x7F - 0x20: carries into the high bit exactly when x > 0x20


@njit(**INLINE_JIT)
def space_mask(w):
    """High bit of each byte of ``w`` set iff that byte is <= 0x20 (every ASCII whitespace byte
    is; a scan stops there and checks the byte exactly). Exact per byte: no carries across bytes."""
    x = w & LOW7_BITS
    return ~(x + _ADD_GE21) & ~w & HIGH_BITS


@njit(**INLINE_JIT)
def eq_mask(w, rep):
    """High bit of each byte of ``w`` set iff that byte equals the byte repeated in ``rep`` (< 0x80)."""
    t = w ^ rep
    x = t & LOW7_BITS
    return ~(x + LOW7_BITS) & ~t & HIGH_BITS
