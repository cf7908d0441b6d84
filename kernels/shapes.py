"""Token shapes: what an out-of-vocabulary token looks like, hashed into a fixed number of buckets.

A token's shape replaces each maximal run of one character class by a short code:

* ASCII letters and every non-ASCII character (so case and UTF-8 length never matter): ``x``;
* ASCII digits: ``d`` repeated the run's length for 1 to 10 digits, ``d{11-12}``, ``d{13-19}``
  (card numbers) or ``d{20+}`` for longer runs;
* any other character: itself once, or twice for a run of two or more.

So ``575-74-7674`` is ``ddd-dd-dddd``, ``amy47@example.com`` is ``xdd@x.x``, ``[email]`` is
``[x]``, ``+91`` is ``+dd`` and ``12/25`` is ``dd/dd``. The shape is ASCII; its bucket is the
64-bit FNV-1a hash of its bytes modulo the bucket count. ``fastscratch.shapes.token_shape`` is
the plain-Python statement of the same rule that the tests hold this kernel to.

Because every non-ASCII byte is a letter byte and letter runs collapse to one ``x``, the shape
of a token's UTF-8 bytes equals the shape of its characters: the byte loop needs no decoding.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ._config import INLINE_JIT

_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)
_LETTER = 120  # 'x'
_DIGIT = 100  # 'd'
_MAX_EXACT_DIGITS = 10

# The codes of long digit runs, as bytes: row r is the code for bucket r (NUL-padded).
_LONG_RUN_CODES = ("d{11-12}", "d{13-19}", "d{20+}")
_LONG_RUN_BYTES = np.zeros((len(_LONG_RUN_CODES), 8), dtype=np.uint8)
for _r, _code in enumerate(_LONG_RUN_CODES):
    _LONG_RUN_BYTES[_r, : len(_code)] = np.frombuffer(_code.encode("ascii"), dtype=np.uint8)


@njit(**INLINE_JIT)
def _feed(h, byte):
    """One FNV-1a step."""
    return (h ^ np.uint64(byte)) * _FNV_PRIME


@njit(**INLINE_JIT)
def _byte_class(b):
    """``'x'`` for letters and non-ASCII bytes, ``'d'`` for digits, else the byte itself."""
    if 48 <= b <= 57:
        return _DIGIT
    if b >= 128 or 97 <= b <= 122 or 65 <= b <= 90:
        return _LETTER
    return np.int64(b)


@njit(**INLINE_JIT)
def _feed_run(h, cls, run):
    """Hash the code of a run of ``run`` characters of class ``cls``."""
    if cls == _LETTER:
        return _feed(h, _LETTER)
    if cls == _DIGIT:
        if run <= _MAX_EXACT_DIGITS:
            for _ in range(run):
                h = _feed(h, _DIGIT)
            return h
        r = 0 if run <= 12 else (1 if run <= 19 else 2)
        for j in range(_LONG_RUN_BYTES.shape[1]):
            c = _LONG_RUN_BYTES[r, j]
            if c == 0:
                break
            h = _feed(h, c)
        return h
    h = _feed(h, cls)
    if run >= 2:
        h = _feed(h, cls)
    return h


@njit(**INLINE_JIT)
def shape_hash(buf, start, end):
    """FNV-1a hash (uint64) of the shape of the token ``buf[start:end]`` (``start < end``)."""
    h = _FNV_OFFSET
    cls = _byte_class(buf[start])
    run = 1
    for i in range(start + 1, end):
        c = _byte_class(buf[i])
        if c == cls:
            run += 1
        else:
            h = _feed_run(h, cls, run)
            cls = c
            run = 1
    return _feed_run(h, cls, run)
